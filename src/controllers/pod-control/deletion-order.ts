/**
 * Which pods a scale-down removes first, in kube-controller-manager's order (controller.ActivePodsWithRanks
 * with LogarithmicScaleDown, on by default since 1.22):
 * 1. not yet scheduled; 2. Pending, then Unknown, then Running; 3. not ready; 4. lower
 * controller.kubernetes.io/pod-deletion-cost; 5. more related pods on the same node; 6. ready for less
 * time; 7. more container restarts; 8. created more recently.
 * Times in 6 and 8 are compared on a log2 scale of their age, so pods of about the same age count as
 * ties (broken by UID) and a scale-down spreads over pods of one generation instead of always taking
 * the very newest.
 */
import { isPodReady, readyCondition } from './pod-state.ts';
import type { Pod } from './types.ts';

export const deletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrder: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Readonly<Pod>): number {
  const value = Number(pod.metadata.annotations?.[deletionCostAnnotation]);
  return Number.isInteger(value) ? value : 0;
}

function maxRestarts(pod: Readonly<Pod>): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

function timeOf(value: string | null | undefined): number | undefined {
  const t = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(t) ? undefined : t;
}

/** log2 of the age in nanoseconds, -1 for "not older than now" (as controller.logarithmicRankDiff). */
function ageRank(t: number, now: number): number {
  const ns = (now - t) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/** Negative when `a` should go before `b`: a missing time first, then the younger one. */
function compareTimes(a: number | undefined, b: number | undefined, now: number, uidA: string, uidB: string): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const diff = ageRank(a, now) - ageRank(b, now);
  if (diff !== 0) return diff;
  return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
}

/** Compare function for `sort`: pods to delete first come first. `rank` counts related pods on the node. */
export function deletionOrder(now: number, rank: (pod: Readonly<Pod>) => number) {
  return (a: Readonly<Pod>, b: Readonly<Pod>): number => {
    const assignedA = Boolean(a.spec?.nodeName);
    const assignedB = Boolean(b.spec?.nodeName);
    if (assignedA !== assignedB) return assignedA ? 1 : -1;
    const phaseA = phaseOrder[a.status?.phase ?? 'Pending'] ?? 0;
    const phaseB = phaseOrder[b.status?.phase ?? 'Pending'] ?? 0;
    if (phaseA !== phaseB) return phaseA - phaseB;
    const readyA = isPodReady(a);
    const readyB = isPodReady(b);
    if (readyA !== readyB) return readyA ? 1 : -1;
    const cost = deletionCost(a) - deletionCost(b);
    if (cost !== 0) return cost;
    const ranked = rank(b) - rank(a);
    if (ranked !== 0) return ranked;
    const uidA = a.metadata.uid ?? '';
    const uidB = b.metadata.uid ?? '';
    if (readyA && readyB) {
      const byReady = compareTimes(
        timeOf(readyCondition(a)?.lastTransitionTime),
        timeOf(readyCondition(b)?.lastTransitionTime),
        now,
        uidA,
        uidB,
      );
      if (byReady !== 0) return byReady;
    }
    const restarts = maxRestarts(b) - maxRestarts(a);
    if (restarts !== 0) return restarts;
    return compareTimes(timeOf(a.metadata.creationTimestamp), timeOf(b.metadata.creationTimestamp), now, uidA, uidB);
  };
}

/**
 * The `count` pods to delete from `pods`. `related` are all pods of the same workload (this ReplicaSet
 * and its siblings under one Deployment): a node that holds several of them loses one first.
 */
export function podsToDelete(
  pods: readonly Readonly<Pod>[],
  related: readonly Readonly<Pod>[],
  count: number,
  now: number,
): Readonly<Pod>[] {
  if (count >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const rank = (p: Readonly<Pod>) => (p.spec?.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0);
  return [...pods].sort(deletionOrder(now, rank)).slice(0, count);
}
