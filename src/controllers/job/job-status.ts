/**
 * Job status as a real cluster writes it: `ready`, `terminating` and `uncountedTerminatedPods` are
 * pointers in the Go type, so they appear even when zero/empty; the plain counters are omitempty.
 */
import type { JobStatus } from './types.ts';

/** Fields in one fixed order, zero counters dropped: equal output means nothing a client sees changed. */
export function canonicalStatus(s: Readonly<JobStatus> | undefined): JobStatus {
  const out: JobStatus = {};
  if (!s) return out;
  if (s.conditions?.length) out.conditions = s.conditions.map((c) => ({ ...c }));
  if (s.startTime) out.startTime = s.startTime;
  if (s.completionTime) out.completionTime = s.completionTime;
  if (s.active) out.active = s.active;
  if (s.succeeded) out.succeeded = s.succeeded;
  if (s.failed) out.failed = s.failed;
  if (s.completedIndexes) out.completedIndexes = s.completedIndexes;
  if (s.uncountedTerminatedPods) {
    const u: NonNullable<JobStatus['uncountedTerminatedPods']> = {};
    if (s.uncountedTerminatedPods.succeeded?.length) u.succeeded = [...s.uncountedTerminatedPods.succeeded];
    if (s.uncountedTerminatedPods.failed?.length) u.failed = [...s.uncountedTerminatedPods.failed];
    out.uncountedTerminatedPods = u;
  }
  if (s.ready !== undefined) out.ready = s.ready;
  if (s.terminating !== undefined) out.terminating = s.terminating;
  return out;
}

export function sameJobStatus(a: Readonly<JobStatus> | undefined, b: Readonly<JobStatus>): boolean {
  const conditionKey = (s: JobStatus) =>
    JSON.stringify((s.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message, c.lastTransitionTime]));
  const ca = canonicalStatus(a);
  const cb = canonicalStatus(b);
  const rest = (s: JobStatus) => JSON.stringify({ ...s, conditions: undefined });
  return conditionKey(ca) === conditionKey(cb) && rest(ca) === rest(cb);
}
