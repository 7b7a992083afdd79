/**
 * What the garbage collector does with one dependent, given what it found out about each owner
 * (kube-controller-manager garbagecollector.go attemptToDeleteItem and classifyReferences), as a
 * pure function so every branch is tested without a cluster.
 */
import type { OwnerReference } from '../../types/meta.ts';

export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

/**
 * - `solid`: the owner exists and is not waiting for its dependents;
 * - `dangling`: no object with that name and uid exists (deleted, or replaced by a namesake);
 * - `waiting`: the owner is being deleted in the foreground and waits for its dependents.
 */
export type OwnerState = 'solid' | 'dangling' | 'waiting';

export type DependentAction =
  | { type: 'none' }
  /** Other owners keep it alive: only the references to gone or foreground-deleted owners go. */
  | { type: 'removeOwnerReferences'; uids: string[] }
  | { type: 'delete'; propagationPolicy: 'Background' | 'Foreground' | 'Orphan' };

export function decideForDependent(
  dependent: { ownerReferences: readonly OwnerReference[]; finalizers: readonly string[] },
  stateOf: (ref: OwnerReference) => OwnerState,
  hasDependents: boolean,
): DependentAction {
  if (dependent.ownerReferences.length === 0) return { type: 'none' };
  const byState: Record<OwnerState, string[]> = { solid: [], dangling: [], waiting: [] };
  for (const ref of dependent.ownerReferences) byState[stateOf(ref)].push(ref.uid);
  if (byState.solid.length > 0) {
    const uids = [...byState.dangling, ...byState.waiting];
    return uids.length ? { type: 'removeOwnerReferences', uids } : { type: 'none' };
  }
  // An owner deleted in the foreground passes that on, so grandchildren go before children.
  if (byState.waiting.length > 0 && hasDependents) return { type: 'delete', propagationPolicy: 'Foreground' };
  if (dependent.finalizers.includes(orphanFinalizer)) return { type: 'delete', propagationPolicy: 'Orphan' };
  if (dependent.finalizers.includes(foregroundFinalizer)) return { type: 'delete', propagationPolicy: 'Foreground' };
  return { type: 'delete', propagationPolicy: 'Background' };
}

/** Dependents that hold up a foreground deletion: those whose reference sets blockOwnerDeletion. */
export function isBlocking(ownerUid: string, dependent: { ownerReferences: readonly OwnerReference[] }): boolean {
  return dependent.ownerReferences.some((r) => r.uid === ownerUid && r.blockOwnerDeletion === true);
}
