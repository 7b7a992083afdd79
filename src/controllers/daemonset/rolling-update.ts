/**
 * The DaemonSet rolling update as pure arithmetic (kubernetes pkg/controller/daemon update.go
 * rollingUpdate): with maxSurge 0, old pods are deleted on at most maxUnavailable nodes that are not
 * already unavailable (an unavailable old pod goes at once); with maxSurge > 0 a new pod starts beside
 * the old one on at most maxSurge nodes, and the old pod goes once the new one is available.
 */
import { scaledValue } from '../deployment/rollout-math.ts';
import type { DaemonSet } from './types.ts';

/** One node's daemon pods, as the rollout sees them. */
export interface NodeState {
  node: string;
  /** Pod names on the old revision, with availability. */
  old: Array<{ name: string; isAvailable: boolean }>;
  /** The new-revision pod, if any. */
  updated?: { name: string; isAvailable: boolean };
}

export interface RolloutStep {
  deletions: string[];
  /** Nodes that get a new-revision pod now (surge). */
  surgeNodes: string[];
}

export function rolloutBudget(ds: Readonly<DaemonSet>, desired: number): { maxUnavailable: number; maxSurge: number } {
  const rolling = ds.spec?.updateStrategy?.rollingUpdate;
  const maxSurge = scaledValue(rolling?.maxSurge ?? 0, desired, true);
  let maxUnavailable = scaledValue(rolling?.maxUnavailable ?? 1, desired, true);
  if (maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxUnavailable, maxSurge };
}

export function rolloutStep(
  states: readonly NodeState[],
  budget: { maxUnavailable: number; maxSurge: number },
): RolloutStep {
  const deletions: string[] = [];
  const surgeNodes: string[] = [];
  if (budget.maxSurge === 0) {
    const unavailable = states.filter((s) => !(s.updated?.isAvailable || s.old.some((o) => o.isAvailable))).length;
    let room = budget.maxUnavailable - unavailable;
    for (const s of states) {
      if (!s.old.length) continue;
      const isAvailable = s.updated?.isAvailable || s.old.some((o) => o.isAvailable);
      if (!isAvailable) deletions.push(...s.old.map((o) => o.name));
      else if (room > 0 && !s.updated) {
        deletions.push(...s.old.map((o) => o.name));
        room--;
      }
    }
    return { deletions, surgeNodes };
  }
  let surging = states.filter((s) => s.old.length && s.updated && !s.updated.isAvailable).length;
  for (const s of states) {
    if (!s.old.length) continue;
    if (s.updated?.isAvailable) deletions.push(...s.old.map((o) => o.name));
    else if (!s.old.some((o) => o.isAvailable) && !s.updated) deletions.push(...s.old.map((o) => o.name));
    else if (!s.updated && surging < budget.maxSurge) {
      surgeNodes.push(s.node);
      surging++;
    }
  }
  return { deletions, surgeNodes };
}
