/**
 * Job conditions with the reasons and messages kube-controller-manager writes (1.31+, where the
 * terminal condition waits for pods to finish): first an interim SuccessCriteriaMet or FailureTarget,
 * then, once no pod is active or terminating, Complete or Failed with the same reason and message.
 */
import type { JobCondition } from './types.ts';

export interface Verdict {
  /** The interim condition type; the terminal one follows from it. */
  type: 'SuccessCriteriaMet' | 'FailureTarget';
  reason: string;
  message: string;
}

export const completionsReached: Verdict = {
  type: 'SuccessCriteriaMet',
  reason: 'CompletionsReached',
  message: 'Reached expected number of succeeded pods',
};
export const backoffLimitExceeded: Verdict = {
  type: 'FailureTarget',
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
};
export const deadlineExceeded: Verdict = {
  type: 'FailureTarget',
  reason: 'DeadlineExceeded',
  message: 'Job was active longer than specified deadline',
};

export function terminalTypeOf(v: Pick<Verdict, 'type'>): 'Complete' | 'Failed' {
  return v.type === 'SuccessCriteriaMet' ? 'Complete' : 'Failed';
}

/** The interim verdict already recorded on the Job, if any. */
export function recordedVerdict(conditions: readonly JobCondition[] | undefined): Verdict | undefined {
  const c = conditions?.find(
    (x) => (x.type === 'SuccessCriteriaMet' || x.type === 'FailureTarget') && x.status === 'True',
  );
  return c ? { type: c.type as Verdict['type'], reason: c.reason ?? '', message: c.message ?? '' } : undefined;
}

/**
 * Sets a condition, keeping lastTransitionTime when the status does not change (as
 * controller.updateConditionsIfNeeded). Returns a new array.
 */
export function withCondition(
  conditions: readonly JobCondition[] | undefined,
  type: string,
  status: JobCondition['status'],
  reason: string,
  message: string,
  now: string,
): JobCondition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === type);
  const existing = i < 0 ? undefined : list[i];
  if (existing && existing.status === status && existing.reason === reason && existing.message === message) return list;
  const lastTransitionTime = existing?.status === status ? (existing.lastTransitionTime ?? now) : now;
  const next: JobCondition = { type, status, lastProbeTime: now, lastTransitionTime, reason, message };
  if (i < 0) list.push(next);
  else list[i] = next;
  return list;
}
