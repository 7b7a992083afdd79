/**
 * The annotations a Deployment's ReplicaSets carry (kubernetes pkg/controller/deployment/util):
 * `deployment.kubernetes.io/revision` (what `kubectl rollout history/undo` read), the revision history
 * of a ReplicaSet that became new again, and desired/max replicas (the base for proportional scaling).
 * The Deployment's own annotations, e.g. kubernetes.io/change-cause, are copied onto its new ReplicaSet.
 */
import type { ReplicaSet } from '../pod-control/types.ts';
import { maxSurge, replicasOf } from './rollout-math.ts';
import type { Deployment } from './types.ts';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';

/** Not copied from the Deployment to its ReplicaSets (deploymentutil annotationsToSkip). */
const skipped = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** kube-controller-manager's default --deployment-controller revision history length in characters. */
const maxRevisionHistoryChars = 2000;

export function revisionOf(rs: Readonly<ReplicaSet>): number {
  const value = Number(rs.metadata.annotations?.[revisionAnnotation] ?? 0);
  return Number.isInteger(value) ? value : 0;
}

export function maxRevision(list: readonly Readonly<ReplicaSet>[]): number {
  return list.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Sets desired and max replicas; true when they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  const annotations = rs.metadata.annotations;
  if (annotations[desiredReplicasAnnotation] === String(desired) && annotations[maxReplicasAnnotation] === String(max))
    return false;
  annotations[desiredReplicasAnnotation] = String(desired);
  annotations[maxReplicasAnnotation] = String(max);
  return true;
}

export function replicasAnnotationsNeedUpdate(rs: Readonly<ReplicaSet>, d: Readonly<Deployment>): boolean {
  const a = rs.metadata.annotations;
  return (
    a?.[desiredReplicasAnnotation] !== String(replicasOf(d)) ||
    a?.[maxReplicasAnnotation] !== String(replicasOf(d) + maxSurge(d))
  );
}

/**
 * Brings the new ReplicaSet's annotations up to date (deploymentutil.SetNewReplicaSetAnnotations):
 * copies the Deployment's, raises the revision to `newRevision` — remembering the old one in the
 * revision history, which happens when a rollback makes an old ReplicaSet new again — and, for a
 * ReplicaSet about to be created, sets desired/max replicas. Returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: Readonly<Deployment>,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
): boolean {
  rs.metadata.annotations ??= {};
  const annotations = rs.metadata.annotations;
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipped.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const oldText = annotations[revisionAnnotation];
  const oldRevision = oldText === undefined || oldText === '' ? 0 : Number(oldText);
  if (!Number.isInteger(oldRevision)) return changed;
  if (oldRevision < newRevision) {
    annotations[revisionAnnotation] = String(newRevision);
    changed = true;
    if (oldText)
      annotations[revisionHistoryAnnotation] = appendHistory(annotations[revisionHistoryAnnotation], oldText);
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** Appends to the comma-separated history, dropping the oldest entries past the length limit. */
function appendHistory(history: string | undefined, revision: string): string {
  const entries = history ? history.split(',') : [];
  entries.push(revision);
  while (entries.join(',').length > maxRevisionHistoryChars && entries.length > 1) entries.shift();
  return entries.join(',');
}
