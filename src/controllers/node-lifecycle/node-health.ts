/**
 * Pure rules of node health (kube-controller-manager nodelifecycle tryUpdateNodeHealth and
 * doNoExecuteTaintingPass): when a node has been silent past the grace period its conditions turn
 * Unknown, and which NoExecute/NoSchedule taints its Ready condition calls for.
 */
import type { NodeCondition } from '../../nodes/api-types.ts';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const notReadyTaintKey = 'node.kubernetes.io/not-ready';

/** The conditions a kubelet reports that turn Unknown with it (kubelet's own ones, not NetworkUnavailable). */
export const kubeletConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** Conditions after the kubelet stopped posting status: every kubelet condition Unknown. */
export function unknownConditions(conditions: readonly NodeCondition[], now: string): NodeCondition[] {
  const result = conditions.map((c) =>
    kubeletConditions.includes(c.type) && c.status !== 'Unknown'
      ? {
          ...c,
          status: 'Unknown' as const,
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastTransitionTime: now,
        }
      : c,
  );
  for (const type of kubeletConditions) {
    if (!result.some((c) => c.type === type)) {
      result.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      });
    }
  }
  return result;
}

/** The condition taints a node's Ready status asks for, NoExecute stamped with `now`. */
export function conditionTaints(ready: NodeCondition['status'] | undefined, now: string): Taint[] {
  const key = ready === 'Unknown' ? unreachableTaintKey : ready === 'False' ? notReadyTaintKey : undefined;
  if (!key) return [];
  return [
    { key, effect: 'NoSchedule' },
    { key, effect: 'NoExecute', timeAdded: now },
  ];
}

/**
 * The node's taints with the condition taints replaced by `wanted`; unchanged ones keep their
 * timeAdded, so eviction deadlines do not move on every pass. Returns undefined when nothing changes.
 */
export function withConditionTaints(current: readonly Taint[], wanted: readonly Taint[]): Taint[] | undefined {
  const isConditionTaint = (t: Taint) => t.key === unreachableTaintKey || t.key === notReadyTaintKey;
  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
  const kept = current.filter((t) => !isConditionTaint(t) || wanted.some((w) => same(w, t)));
  const added = wanted.filter((w) => !current.some((t) => same(t, w)));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}
