/**
 * Simulated kubelets as one API client: registers the Nodes, renews a Lease per node, reports node
 * status, and runs the pods bound to them. One shared pod informer dispatches by spec.nodeName (a
 * field-selector watch per node would not scale to 5,000 nodes), one timer wheel carries every
 * node's and pod's timers, and renewals are spread over the 10 s interval.
 */
import type { KubeClient, ResourceClient } from '../client/types.ts';
import { type Clock, realClock, toTime } from '../controllers/runtime/clock.ts';
import { createInformers, type Informers } from '../controllers/runtime/informer-factory.ts';
import { createEventRecorder } from '../events/recorder.ts';
import { isStatusError } from '../status.ts';
import type { Lease, Node, Pod } from './api-types.ts';
import type { ObjectLookup } from './container-sim/container-env.ts';
import { createKubelet, type Kubelet } from './kubelet.ts';
import { createLogStore } from './log-store.ts';
import type { PodLogs } from './logs.ts';
import { type NodeConfig, nodeAddress, podCIDR, registeredNode } from './node-status.ts';
import { createPodLogs } from './pod-logs.ts';
import { configMapRef, leaseRef, nodeRef, podRef, secretRef } from './refs.ts';
import { defaultTimings, type Timings } from './sim-types.ts';
import { differsFromReport, statusReport, statusReportIntervalMs } from './stages/node-heartbeat.ts';
import { renewIntervalMs, renewLease } from './stages/node-lease.ts';
import { createTimerWheel } from './timer-wheel.ts';
import { createWriteQueue, type WriteQueue } from './write-queue.ts';

/** Annotating a node with this key `NotReady` stops its heartbeats; `Ready` resumes them. */
export const stateAnnotation = 'sim.wharf.dev/state';

export type SimulatedNode = Omit<NodeConfig, 'index'>;

export interface SimulatedNodesOptions {
  client: KubeClient;
  /** The nodes to run; or `count` nodes named node-1… in zones zone-a, zone-b, zone-c. */
  nodes?: SimulatedNode[];
  count?: number;
  /** The API server's gitVersion, reported as each node's kubeletVersion. */
  serverVersion: string;
  clock?: Clock;
  /** Share informers with other in-process components; otherwise the engine makes its own. */
  informers?: Informers;
  timings?: Partial<Timings>;
  /** Container IDs; defaults to random 64-hex ids. */
  newContainerID?(): string;
}

export interface SimulatedNodes {
  logs: PodLogs;
  /** Resolves once every status write and event queued so far has been sent (benches, tests). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const zones = ['zone-a', 'zone-b', 'zone-c'];

function nodeConfigs(options: SimulatedNodesOptions): NodeConfig[] {
  const list =
    options.nodes ??
    Array.from({ length: options.count ?? 3 }, (_, i) => ({ name: `node-${i + 1}`, zone: zones[i % zones.length] }));
  return list.map((n, index) => ({ ...n, index }));
}

/**
 * Writes in flight at once for all simulated kubelets: enough for the embedded store to commit in
 * large batches, few enough that a burst of pods queues up and its status changes coalesce.
 */
const writeConcurrency = 128;

/** The client the event recorders write through: Event creates and patches wait in the write queue. */
function withQueuedEvents(client: KubeClient, writes: WriteQueue): KubeClient {
  return {
    ...client,
    resource(ref) {
      const api = client.resource(ref);
      if (ref.group !== '' || ref.plural !== 'events') return api;
      return {
        ...api,
        create: (object) => writes.enqueue('event', () => api.create(object)),
        patch: (...args) => writes.enqueue('event', () => api.patch(...args)),
      };
    },
  };
}

function randomContainerID(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(workers);
}

/**
 * Patches the node's status, retrying a Conflict: a patch without a resourceVersion should never
 * conflict, but a registry that does not retry internally may report one when writes race.
 */
async function patchNodeStatus(api: ResourceClient<Node>, name: string, body: unknown): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await api.patch(name, undefined, 'merge', body, { subresource: 'status' });
      return;
    } catch (err) {
      if (!(isStatusError(err) && err.code === 409) || attempt >= 3) throw err;
    }
  }
}

export async function startSimulatedNodes(options: SimulatedNodesOptions): Promise<SimulatedNodes> {
  const clock = options.clock ?? realClock;
  const { client } = options;
  const abort = new AbortController();
  const informers = options.informers ?? createInformers(client, { clock });
  const wheel = createTimerWheel(clock);
  const logs = createLogStore();
  const timings: Timings = { ...defaultTimings, ...options.timings };
  const configs = nodeConfigs(options);
  const configByName = new Map(configs.map((c) => [c.name, c]));
  const nodeApi = client.resource(nodeRef);
  const leaseApi = client.resource(leaseRef);
  const bootSeed = String(clock.now());
  const writes = createWriteQueue({ concurrency: writeConcurrency });
  const eventClient = withQueuedEvents(client, writes);

  const nodeInformer = informers.informerFor(nodeRef);
  const podInformer = informers.informerFor(podRef);
  const configMapInformer = informers.informerFor(configMapRef);
  const secretInformer = informers.informerFor(secretRef);
  const lookup: ObjectLookup = {
    configMap: (namespace, name) => configMapInformer.getByName(namespace, name),
    secret: (namespace, name) => secretInformer.getByName(namespace, name),
  };

  // Register first, so pods bound while we start are not missed by an unregistered kubelet.
  const uids = new Map<string, string | undefined>();
  // Registration writes a full status, so the first heartbeat only renews the lease.
  const lastReportAt = new Map<string, number>();
  await inBatches(configs, 32, async (config) => {
    const node = registeredNode(config, options.serverVersion, toTime(clock.now()), bootSeed);
    try {
      uids.set(config.name, (await nodeApi.create(node)).metadata.uid);
    } catch (err) {
      if (!(isStatusError(err) && err.code === 409)) throw err;
      const existing = await nodeApi.get(config.name);
      uids.set(config.name, existing.metadata.uid);
      await patchNodeStatus(nodeApi, config.name, statusReport(existing, config, toTime(clock.now())));
    }
    lastReportAt.set(config.name, clock.now());
  });

  const kubelets = new Map<string, Kubelet>();
  for (const config of configs) {
    const recorder = createEventRecorder(eventClient, { component: 'kubelet', host: config.name }, () => clock.now());
    kubelets.set(
      config.name,
      createKubelet({
        nodeName: config.name,
        hostIP: nodeAddress(config),
        podCIDR: podCIDR(config.index),
        client,
        clock,
        wheel,
        recorder,
        logs,
        lookup,
        timings,
        newContainerID: options.newContainerID ?? randomContainerID,
        writes,
      }),
    );
  }
  const kubeletOf = (pod: Readonly<Pod>) => kubelets.get(pod.spec?.nodeName ?? '');
  podInformer.addHandlers({
    onAdd: (pod) => kubeletOf(pod)?.syncPod(pod),
    onUpdate: (_old, pod) => kubeletOf(pod)?.syncPod(pod),
    onDelete: (pod) => kubeletOf(pod)?.forgetPod(pod),
  });

  // Heartbeats: one tick per node every 10 s, spread over the interval by node index.
  const leaseStates = new Map<string, { lease?: Lease }>();
  const isNotReady = (name: string) =>
    nodeInformer.getByName(undefined, name)?.metadata.annotations?.[stateAnnotation] === 'NotReady';
  async function heartbeat(config: NodeConfig) {
    if (abort.signal.aborted || isNotReady(config.name)) return;
    const now = clock.now();
    const state = leaseStates.get(config.name) ?? {};
    leaseStates.set(config.name, state);
    const cached = nodeInformer.getByName(undefined, config.name) as Readonly<Node> | undefined;
    // A deleted Node stays deleted, as with a real kubelet that is not restarted.
    if (!cached && nodeInformer.hasSynced()) return;
    await renewLease(leaseApi, state, config.name, uids.get(config.name), now);
    const isDue = now - (lastReportAt.get(config.name) ?? 0) >= statusReportIntervalMs;
    if (cached && !isDue && !differsFromReport(cached, config)) return;
    await patchNodeStatus(nodeApi, config.name, statusReport(cached, config, toTime(now)));
    lastReportAt.set(config.name, now);
  }
  function scheduleHeartbeat(config: NodeConfig, at: number) {
    wheel.at(at, () => {
      heartbeat(config).catch((err) => {
        if (!abort.signal.aborted) console.error(`kubelet ${config.name}: heartbeat failed:`, err);
      });
      scheduleHeartbeat(config, at + renewIntervalMs);
    });
  }
  const start = clock.now();
  for (const config of configs)
    scheduleHeartbeat(config, start + Math.floor((config.index * renewIntervalMs) / configs.length));
  nodeInformer.addHandlers({
    onUpdate(old, node) {
      const config = configByName.get(node.metadata.name ?? '');
      const was = old.metadata.annotations?.[stateAnnotation];
      const is = node.metadata.annotations?.[stateAnnotation];
      // Recovery reports at once instead of waiting up to 10 s for the next tick.
      if (config && was === 'NotReady' && is !== 'NotReady') void heartbeat(config).catch(() => undefined);
    },
  });

  if (!options.informers) informers.start(abort.signal);
  await informers.waitForSync(abort.signal);

  return {
    logs: {
      ...createPodLogs(podInformer, (pod) => kubeletOf(pod)?.podSim(pod.metadata.uid ?? ''), logs, clock),
      servesNode: (nodeName) => kubelets.has(nodeName),
      endAttachedShell(namespace, name, container, exitCode) {
        const pod = podInformer.getByName(namespace, name);
        if (pod) kubeletOf(pod)?.endProgram(pod.metadata.uid ?? '', container, exitCode);
      },
    },
    settled: () => writes.idle(),
    async stop() {
      abort.abort();
      wheel.stop();
      for (const kubelet of kubelets.values()) kubelet.stop();
      writes.stop();
    },
  };
}
