/**
 * The DisruptionTarget condition a control-plane component puts on a pod before deleting it for its own
 * reasons (scheduler preemption, taint eviction, pod garbage collection), so the pod's owner — a Job's
 * podFailurePolicy, a user reading `kubectl describe` — can tell that from a failure of the pod itself.
 */
export interface DisruptionTarget {
  type: 'DisruptionTarget';
  status: 'True';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export function disruptionTarget(reason: string, message: string, lastTransitionTime: string): DisruptionTarget {
  return { type: 'DisruptionTarget', status: 'True', lastTransitionTime, reason, message };
}

/** The pod's conditions with any earlier DisruptionTarget replaced by this one. */
export function withDisruptionTarget<C extends { type: string }>(
  conditions: readonly C[] | undefined,
  condition: DisruptionTarget,
): (C | DisruptionTarget)[] {
  return [...(conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), condition];
}
