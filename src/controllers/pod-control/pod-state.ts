/**
 * What the workload controllers need to know about a pod, as kubernetes pkg/api/v1/pod and
 * pkg/controller do: active (counts toward replicas), ready, and available (ready for minReadySeconds).
 */
import type { Pod, PodCondition } from './types.ts';

/** Not finished and not being deleted: the pods a ReplicaSet counts (controller.FilterActivePods). */
export function isPodActive(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function readyCondition(pod: Readonly<Pod>): Readonly<PodCondition> | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Readonly<Pod>): boolean {
  return readyCondition(pod)?.status === 'True';
}

/**
 * Ready for at least `minReadySeconds` at `now` (podutil.IsPodAvailable). With minReadySeconds 0 a
 * ready pod is available at once.
 */
export function isPodAvailable(pod: Readonly<Pod>, minReadySeconds: number, now: number): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : Number.NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now;
}
