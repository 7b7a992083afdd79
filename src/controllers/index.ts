/**
 * The controller manager: every controller, run only while this process holds the leader Lease, so
 * several wharf processes on one store never act twice. Later controllers are added to `controllers`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeClient } from '../client/types.ts';
import { cronJobController } from './cronjob/cronjob-controller.ts';
import { daemonSetController } from './daemonset/daemonset-controller.ts';
import { deploymentController } from './deployment/deployment-controller.ts';
import { disruptionController } from './disruption.ts';
import { endpointsController } from './endpoints.ts';
import { endpointSliceController } from './endpointslice.ts';
import { endpointSliceMirroringController } from './endpointslice-mirroring.ts';
import { garbageCollector } from './garbage-collector/garbage-collector.ts';
import { type HPAControllerOptions, hpaController } from './hpa/hpa-controller.ts';
import { jobController } from './job/job-controller.ts';
import { ttlAfterFinishedController } from './job/ttl-after-finished.ts';
import { namespaceController } from './namespace.ts';
import { type NodeLifecycleOptions, nodeLifecycleController } from './node-lifecycle/node-lifecycle-controller.ts';
import { taintEvictionController } from './node-lifecycle/taint-eviction.ts';
import { persistentVolumeController } from './persistent-volume/persistent-volume-controller.ts';
import { podGCController } from './pod-gc.ts';
import { replicaSetController } from './replicaset.ts';
import { replicationControllerController } from './replication-controller.ts';
import { resourceQuotaController } from './resource-quota.ts';
import { type Clock, realClock } from './runtime/clock.ts';
import { createInformers } from './runtime/informer-factory.ts';
import { createLeaderElector } from './runtime/leader-election.ts';
import { type RunningController, runController } from './runtime/run-controller.ts';
import { serviceAccountController } from './service-account.ts';
import { statefulSetController } from './statefulset/statefulset-controller.ts';

export interface ControllerManagerOptions {
  client: KubeClient;
  /** Cluster CA certificate (PEM), published as kube-root-ca.crt in every namespace. */
  caPem: string;
  /** Leader-election identity; default `<hostname>_<uuid>` as kube-controller-manager uses. */
  identity?: string;
  /** Lease name in kube-system; default `kube-controller-manager`, the one a real cluster shows. */
  leaseName?: string;
  clock?: Clock;
  /** Set false to run without leader election (a single process that owns its store). */
  leaderElection?: boolean;
  onError?(err: unknown): void;
  /** Node monitor grace and check periods; tests shorten them. */
  nodeLifecycle?: NodeLifecycleOptions;
  /** The HPA sync period; tests shorten it. */
  hpa?: HPAControllerOptions;
}

export interface ControllerManager {
  /** True while this process holds the lease and its controllers run. */
  isLeader(): boolean;
  /** Stops the controllers and releases the lease. */
  stop(): Promise<void>;
}

export async function startControllers(o: ControllerManagerOptions): Promise<ControllerManager> {
  const clock = o.clock ?? realClock;
  const stop = new AbortController();

  async function runAll(signal: AbortSignal) {
    const informers = createInformers(o.client, o.onError ? { clock, onError: o.onError } : { clock });
    const dependencies = { client: o.client, informers, clock };
    const controllers = [
      namespaceController(dependencies),
      garbageCollector(dependencies),
      endpointsController(dependencies),
      endpointSliceController(dependencies),
      endpointSliceMirroringController(dependencies),
      nodeLifecycleController(dependencies, o.nodeLifecycle),
      taintEvictionController(dependencies),
      disruptionController(dependencies),
      podGCController(dependencies),
      serviceAccountController({ ...dependencies, caPem: o.caPem }),
      replicaSetController(dependencies),
      deploymentController(dependencies),
      replicationControllerController(dependencies),
      jobController(dependencies),
      ttlAfterFinishedController(dependencies),
      cronJobController(dependencies),
      statefulSetController(dependencies),
      daemonSetController(dependencies),
      persistentVolumeController(dependencies),
      resourceQuotaController(dependencies),
      hpaController(dependencies, o.hpa),
    ];
    informers.start(signal);
    await informers.waitForSync(signal);
    if (signal.aborted) return;
    const running: RunningController[] = controllers.map((c) =>
      runController(o.onError ? { ...c, onError: (_key, err) => o.onError?.(err) } : c),
    );
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.all(running.map((r) => r.stop()));
  }

  let done: Promise<void>;
  let isLeader = () => true;
  if (o.leaderElection === false) {
    done = runAll(stop.signal);
  } else {
    let leading: Promise<void> = Promise.resolve();
    const elector = createLeaderElector({
      client: o.client,
      name: o.leaseName ?? 'kube-controller-manager',
      identity: o.identity ?? `${hostname()}_${randomUUID()}`,
      clock,
      onStartedLeading: (signal) => {
        leading = runAll(signal);
      },
      // Controllers must have stopped before the lease is released or another process takes over.
      onStoppedLeading: () => leading,
      ...(o.onError ? { onError: o.onError } : {}),
    });
    done = elector.run(stop.signal);
    isLeader = () => elector.isLeader();
  }
  return {
    isLeader: () => isLeader(),
    async stop() {
      stop.abort();
      await done;
    },
  };
}
