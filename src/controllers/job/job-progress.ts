/**
 * The decisions of one Job sync as pure functions of counts and pods (kubernetes pkg/controller/job
 * syncJob and manageJob): whether the Job has met its success or failure criteria, how many pods
 * should run, which completion indexes to start, and the retry delay after failures.
 */
import type { Pod } from '../pod-control/types.ts';
import { backoffLimitExceeded, completionsReached, deadlineExceeded, type Verdict } from './job-conditions.ts';
import type { EffectiveJobSpec } from './job-spec.ts';

export interface Progress {
  succeeded: number;
  failed: number;
  /** Indexed Jobs only. */
  completedIndexes: ReadonlySet<number>;
  active: number;
  terminating: number;
}

/** Success criteria met (before pods have all stopped). */
export function isComplete(spec: EffectiveJobSpec, p: Progress): boolean {
  if (spec.isIndexed) return spec.completions !== undefined && p.completedIndexes.size >= spec.completions;
  if (spec.completions === undefined) return p.succeeded > 0 && p.active === 0;
  return p.succeeded >= spec.completions;
}

/**
 * The verdict for this sync in Kubernetes' order: a pod failure policy FailJob match, then the
 * backoff limit, then the active deadline, then success.
 */
export function verdictOf(
  spec: EffectiveJobSpec,
  p: Progress,
  o: { policyFailure?: string; startTime?: number; now: number },
): Verdict | undefined {
  if (o.policyFailure) return { type: 'FailureTarget', reason: 'PodFailurePolicy', message: o.policyFailure };
  if (p.failed > spec.backoffLimit) return backoffLimitExceeded;
  if (isPastDeadline(spec, o.startTime, o.now)) return deadlineExceeded;
  if (isComplete(spec, p)) return completionsReached;
  return undefined;
}

export function isPastDeadline(spec: EffectiveJobSpec, startTime: number | undefined, now: number): boolean {
  if (spec.activeDeadlineSeconds === undefined || startTime === undefined || spec.isSuspended) return false;
  return now - startTime >= spec.activeDeadlineSeconds * 1000;
}

/** How many pods should be running now. */
export function wantedActive(spec: EffectiveJobSpec, p: Progress): number {
  let want: number;
  if (spec.isIndexed) want = Math.min(spec.parallelism, (spec.completions ?? 0) - p.completedIndexes.size);
  else if (spec.completions === undefined) want = p.succeeded > 0 ? 0 : spec.parallelism;
  else want = Math.min(spec.parallelism, spec.completions - p.succeeded);
  // With podReplacementPolicy Failed a terminating pod still holds its slot until it has failed.
  if (spec.replaceOnlyFailed) want -= p.terminating;
  return Math.max(0, want);
}

/** The lowest `count` indexes that are neither completed nor running. */
export function indexesToStart(
  completions: number,
  completed: ReadonlySet<number>,
  running: ReadonlySet<number>,
  count: number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) {
    if (!completed.has(i) && !running.has(i)) out.push(i);
  }
  return out;
}

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff: 10 s doubling per failure, capped at 10 min. */
export const podFailureBackoffMs = 10_000;
export const maxPodFailureBackoffMs = 10 * 60_000;

export function failureBackoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxPodFailureBackoffMs, podFailureBackoffMs * 2 ** Math.min(failures - 1, 30));
}

interface TerminatedState {
  state?: { terminated?: { finishedAt?: string } };
}

/** When a pod finished: its last container's finishedAt, else its Ready condition's transition, else creation. */
export function finishTimeOf(pod: Readonly<Pod>): number | undefined {
  const statuses = (pod.status?.containerStatuses ?? []) as TerminatedState[];
  const times = statuses.flatMap((c) => {
    const t = Date.parse(c.state?.terminated?.finishedAt ?? '');
    return Number.isNaN(t) ? [] : [t];
  });
  if (times.length) return Math.max(...times);
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
  const t = Date.parse(ready ?? pod.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? undefined : t;
}
