/**
 * The components `wharf up` starts once the API server is ready, in this order (and stops in reverse):
 * the controller manager, the scheduler and (when they land) the simulated nodes. Each is an API client
 * like its Kubernetes counterpart, here over the in-process client; each is loaded on demand so that
 * none of them weighs on the time to a ready API server.
 */
import type { LocalClientOptions } from '../client/local-client.ts';
import type { KubeClient } from '../client/types.ts';
import type { UserInfo } from '../types/meta.ts';
import type { ClusterContext, ComponentFactory } from './start-cluster.ts';

/** The identities kubeadm gives these components' client certificates. */
const controllerManagerUser: UserInfo = {
  username: 'system:kube-controller-manager',
  groups: ['system:authenticated'],
};
const schedulerUser: UserInfo = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };

async function localClient(context: ClusterContext, user: UserInfo, options?: LocalClientOptions): Promise<KubeClient> {
  const { createLocalClient } = await import('../client/local-client.ts');
  return createLocalClient(context.registry, user, options);
}

const controllerManager: ComponentFactory = async (context) => {
  const { startControllers } = await import('../controllers/index.ts');
  const { nodeMonitorGracePeriodMs, hpaSyncPeriodMs } = context.controllerManager;
  return startControllers({
    client: await localClient(context, controllerManagerUser),
    caPem: context.pki.caCertificate,
    ...(nodeMonitorGracePeriodMs ? { nodeLifecycle: { gracePeriodMs: nodeMonitorGracePeriodMs } } : {}),
    ...(hpaSyncPeriodMs ? { hpa: { syncPeriodMs: hpaSyncPeriodMs } } : {}),
  });
};

/** The scheduler runs only while this process holds the kube-scheduler Lease, as kube-scheduler does. */
const scheduler: ComponentFactory = async (context) => {
  const [{ startScheduler }, { loadSchedulerConfiguration }, { createLeaderElector }, { hostname }, { randomUUID }] =
    await Promise.all([
      import('../scheduler/scheduler.ts'),
      import('../scheduler/config.ts'),
      import('../controllers/runtime/leader-election.ts'),
      import('node:os'),
      import('node:crypto'),
    ]);
  // The scheduler only reads what its informers hold, so they need not copy every pod change.
  const client = await localClient(context, schedulerUser, { sharedReads: true });
  const stop = new AbortController();
  let running: Promise<{ stop(): Promise<void> }> | undefined;
  const elector = createLeaderElector({
    client,
    name: 'kube-scheduler',
    identity: `${hostname()}_${randomUUID()}`,
    onStartedLeading: () => {
      const path = context.schedulerConfigPath;
      running = startScheduler({
        client,
        ...(path ? { profiles: (dependencies) => loadSchedulerConfiguration(path, dependencies) } : {}),
      });
    },
    // Stop scheduling before the lease is given up, so two schedulers never bind at once.
    onStoppedLeading: async () => {
      const current = running;
      running = undefined;
      await (await current)?.stop();
    },
  });
  const done = elector.run(stop.signal);
  return {
    async stop() {
      stop.abort();
      await done;
    },
  };
};

/** Each simulated kubelet authenticates as its node would (system:node:<name>, group system:nodes). */
const nodesUser: UserInfo = { username: 'system:node:simulated', groups: ['system:nodes', 'system:authenticated'] };

/** `--nodes N` simulated worker nodes in zones zone-a, zone-b, zone-c, running the pods bound to them. */
const simulatedNodes: ComponentFactory = async (context) => {
  if (context.nodes <= 0) return { stop: async () => {} };
  const [{ startSimulatedNodes }, { wharfVersion }] = await Promise.all([
    import('../nodes/index.ts'),
    import('./version.ts'),
  ]);
  const nodes = await startSimulatedNodes({
    client: await localClient(context, nodesUser),
    count: context.nodes,
    serverVersion: wharfVersion.gitVersion,
  });
  context.podLogs.current = nodes.logs;
  return {
    async stop() {
      context.podLogs.current = undefined;
      await nodes.stop();
    },
  };
};

/**
 * Compiles the request validators of the kinds written most, right after start-up and off the ready path,
 * so the first `kubectl run` or Deployment rollout does not wait for the schema compile (~0.4–1.5 s). It waits
 * two seconds first: the compile blocks the event loop, and start-up (/readyz) must not pay for it.
 */
const warmUpDelayMs = 2000;
const validatorWarmUp: ComponentFactory = async () => {
  const timer = setTimeout(async () => {
    const { checkDecoding } = await import('../openapi/validation/decode-validator.ts');
    for (const [group, kind] of [
      ['', 'Pod'],
      ['apps', 'Deployment'],
      ['apps', 'ReplicaSet'],
      ['', 'ConfigMap'],
    ] as const) {
      try {
        checkDecoding({ group, version: 'v1', kind }, { apiVersion: group ? `${group}/v1` : 'v1', kind }, 'Ignore');
      } catch {
        // A warm-up only; real requests report their own errors.
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }, warmUpDelayMs);
  timer.unref();
  return { stop: async () => clearTimeout(timer) };
};

export const defaultComponents: readonly ComponentFactory[] = [
  controllerManager,
  scheduler,
  simulatedNodes,
  validatorWarmUp,
];
