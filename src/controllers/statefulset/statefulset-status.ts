/**
 * StatefulSet status from its pods and revisions (kubernetes pkg/controller/statefulset
 * updateStatefulSet's status pass and completeRollingUpdate). Pure.
 */
import { controllerRevisionHashLabel } from '../history/controller-revision.ts';
import { isPodAvailable, isPodReady } from '../pod-control/pod-state.ts';
import type { Pod } from '../pod-control/types.ts';
import { replicasOf } from './identity.ts';
import type { StatefulSet, StatefulSetStatus } from './types.ts';

export const isRunningAndReady = (p: Readonly<Pod>) => p.status?.phase === 'Running' && isPodReady(p);

export function calculateStatus(
  set: Readonly<StatefulSet>,
  pods: readonly Readonly<Pod>[],
  revisions: { current: string; update: string; collisionCount: number },
  now: number,
): StatefulSetStatus {
  const minReadySeconds = set.spec?.minReadySeconds ?? 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const pod of pods) {
    if (isRunningAndReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
    if (pod.metadata.deletionTimestamp) continue;
    const revision = pod.metadata.labels?.[controllerRevisionHashLabel];
    if (revision === revisions.current) current++;
    if (revision === revisions.update) updated++;
  }
  const status: StatefulSetStatus = {
    replicas: pods.length,
    readyReplicas: ready,
    currentReplicas: current,
    updatedReplicas: updated,
    availableReplicas: available,
    currentRevision: revisions.current,
    updateRevision: revisions.update,
    collisionCount: revisions.collisionCount,
  };
  if (set.metadata.generation) status.observedGeneration = set.metadata.generation;
  // A finished rolling update makes the update revision current.
  const replicas = replicasOf(set);
  const isRolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (isRolling && updated === replicas && ready === replicas && status.replicas === replicas) {
    status.currentRevision = revisions.update;
    status.currentReplicas = updated;
  }
  return status;
}

export function sameStatus(a: Readonly<StatefulSetStatus> | undefined, b: Readonly<StatefulSetStatus>): boolean {
  if (!a) return false;
  const keys = [
    'observedGeneration',
    'replicas',
    'readyReplicas',
    'currentReplicas',
    'updatedReplicas',
    'availableReplicas',
    'currentRevision',
    'updateRevision',
    'collisionCount',
  ] as const;
  return keys.every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}
