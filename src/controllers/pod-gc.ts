/**
 * Pod garbage collection (kube-controller-manager's podgc): every check period (20 s) it force-deletes
 * pods bound to nodes that no longer exist (missing for 40 s, and after marking them Failed with the DisruptionTarget
 * condition DeletionByPodGC), unscheduled pods that are terminating, and terminated pods beyond the
 * threshold (--terminated-pod-gc-threshold, 12,500), oldest first.
 */
import { disruptionTarget, withDisruptionTarget } from '../client/disruption-target.ts';
import { nodes as nodesRef, pods as podsRef } from '../client/resources.ts';
import type { KubeClient, ResourceRef } from '../client/types.ts';
import type { Node, Pod } from '../nodes/api-types.ts';
import { isStatusError } from '../status.ts';
import { type Clock, realClock, toTime } from './runtime/clock.ts';
import type { Informers } from './runtime/informer-factory.ts';
import type { Controller } from './runtime/run-controller.ts';
import { createWorkQueue } from './runtime/work-queue.ts';

export interface PodGCOptions {
  /** Terminated pods kept before the oldest are deleted; 0 or less disables that part. */
  terminatedPodThreshold?: number;
  checkPeriodMs?: number;
  /** How long a pod's node must stay missing before the pod goes (podgc quarantineTime, 40 s). */
  quarantineMs?: number;
}

const isTerminated = (p: Readonly<Pod>) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** The terminated pods to delete so that at most `threshold` remain, oldest (by creation) first. */
export function excessTerminated(pods: readonly Readonly<Pod>[], threshold: number): Readonly<Pod>[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter((p) => isTerminated(p) && !p.metadata.deletionTimestamp);
  if (terminated.length <= threshold) return [];
  const byAge = [...terminated].sort((a, b) =>
    (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '')
      ? -1
      : (a.metadata.creationTimestamp ?? '') > (b.metadata.creationTimestamp ?? '')
        ? 1
        : 0,
  );
  return byAge.slice(0, terminated.length - threshold);
}

const key = 'pods';

export function podGCController(
  d: { client: KubeClient; informers: Informers; clock?: Clock },
  o: PodGCOptions = {},
): Controller & {
  reconcile(key: string): Promise<void>;
} {
  const clock = d.clock ?? realClock;
  const threshold = o.terminatedPodThreshold ?? 12_500;
  const checkPeriodMs = o.checkPeriodMs ?? 20_000;
  const quarantineMs = o.quarantineMs ?? 40_000;
  const missingSince = new Map<string, number>();
  const queue = createWorkQueue({ clock });
  const podRef = podsRef as ResourceRef<Pod>;
  const podInformer = d.informers.informerFor(podRef);
  const nodeInformer = d.informers.informerFor(nodesRef as ResourceRef<Node>);
  nodeInformer.addHandlers({ onAdd: () => queue.add(key), onDelete: () => queue.add(key) });
  const api = d.client.resource(podRef);
  const nodeApi = d.client.resource(nodesRef as ResourceRef<Node>);
  const ignoreNotFound = (err: unknown) => {
    if (!(isStatusError(err) && err.code === 404)) throw err;
  };
  const forceDelete = (p: Readonly<Pod>) =>
    api.delete(p.metadata.name ?? '', p.metadata.namespace, { gracePeriodSeconds: 0 }).catch(ignoreNotFound);

  /** The cache may lag a node's registration: ask the API before calling a pod orphaned. */
  async function nodeExists(name: string): Promise<boolean> {
    if (nodeInformer.getByName(undefined, name)) return true;
    return nodeApi.get(name).then(
      () => true,
      (err: unknown) => {
        if (isStatusError(err) && err.code === 404) return false;
        throw err;
      },
    );
  }

  async function reconcile(): Promise<void> {
    const pods = podInformer.list();
    for (const p of excessTerminated(pods, threshold)) await forceDelete(p);
    const now = toTime(clock.now());
    for (const p of pods) {
      const nodeName = p.spec.nodeName;
      if (!nodeName) {
        if (p.metadata.deletionTimestamp) await forceDelete(p);
        continue;
      }
      if (await nodeExists(nodeName)) {
        missingSince.delete(nodeName);
        continue;
      }
      const since = missingSince.get(nodeName) ?? clock.now();
      missingSince.set(nodeName, since);
      if (clock.now() - since < quarantineMs) continue;
      if (!isTerminated(p)) {
        const conditions = withDisruptionTarget(
          p.status?.conditions,
          disruptionTarget('DeletionByPodGC', 'PodGC: node no longer exists', now),
        );
        await api
          .updateStatus({ ...structuredClone(p), status: { ...p.status, phase: 'Failed', conditions } })
          .catch(ignoreNotFound);
      }
      await forceDelete(p);
    }
    for (const name of missingSince.keys()) if (!pods.some((p) => p.spec.nodeName === name)) missingSince.delete(name);
    queue.addAfter(key, checkPeriodMs);
  }
  queue.add(key);
  return { name: 'pod-garbage-collector', queue, workers: 1, reconcile };
}
