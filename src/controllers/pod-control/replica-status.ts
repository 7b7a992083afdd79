/**
 * The status of a ReplicaSet or ReplicationController from the pods it controls (kubernetes
 * pkg/controller/replicaset calculateStatus): counts, and a ReplicaFailure condition while creating or
 * deleting pods fails.
 */
import { toTime } from '../runtime/clock.ts';
import { isPodAvailable, isPodReady } from './pod-state.ts';
import type { Pod, PodTemplateSpec, ReplicaCondition, ReplicaSet, ReplicaSetStatus } from './types.ts';

export interface ManageError {
  /** FailedCreate or FailedDelete, the reasons Kubernetes puts on the ReplicaFailure condition. */
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

function hasAllLabels(labels: Readonly<Record<string, string>> | undefined, wanted: readonly [string, string][]) {
  for (const [k, v] of wanted) if (labels?.[k] !== v) return false;
  return true;
}

/** `pods` are the active pods the object controls. */
export function calculateStatus(
  rs: Readonly<{
    metadata: ReplicaSet['metadata'];
    spec?: { minReadySeconds?: number; template?: PodTemplateSpec };
    status?: ReplicaSetStatus;
  }>,
  pods: readonly Readonly<Pod>[],
  manageError: ManageError | undefined,
  now: number,
): ReplicaSetStatus {
  // Read once: this loop runs over every replica on every sync.
  const templateLabels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (hasAllLabels(pod.metadata.labels, templateLabels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions: ReplicaCondition[] = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    conditions.push({
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: toTime(now),
      reason: manageError.reason,
      message: manageError.message,
    });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  // Zero counts are left out, as the Go types' omitempty leaves them out of a real cluster's JSON.
  const status: ReplicaSetStatus = { replicas: pods.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
  if (conditions.length) status.conditions = conditions;
  return status;
}

/** True when writing `next` would change nothing a client can see. */
export function sameReplicaStatus(current: Readonly<ReplicaSetStatus> | undefined, next: ReplicaSetStatus): boolean {
  if (!current) return false;
  const counts = [
    'replicas',
    'fullyLabeledReplicas',
    'readyReplicas',
    'availableReplicas',
    'observedGeneration',
  ] as const;
  if (counts.some((f) => (current[f] ?? 0) !== (next[f] ?? 0))) return false;
  return JSON.stringify(current.conditions ?? []) === JSON.stringify(next.conditions ?? []);
}
