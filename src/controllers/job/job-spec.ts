/**
 * A Job's spec with the defaults the batch/v1 API server applies (SetDefaults_Job): parallelism 1,
 * completions 1 when neither is set, backoffLimit 6, completionMode NonIndexed, podReplacementPolicy
 * TerminatingOrFailed. Read through here so a Job created without them behaves as on a real cluster.
 */
import type { Job } from './types.ts';

export interface EffectiveJobSpec {
  parallelism: number;
  /** Undefined: the Job completes when any pod succeeds (a work queue). */
  completions: number | undefined;
  backoffLimit: number;
  isIndexed: boolean;
  isSuspended: boolean;
  activeDeadlineSeconds: number | undefined;
  /** Failed: a terminating pod is replaced only once it has failed. */
  replaceOnlyFailed: boolean;
}

export function effectiveSpec(job: Readonly<Job>): EffectiveJobSpec {
  const spec = job.spec ?? {};
  const bothUnset = spec.parallelism === undefined && (spec.completions === undefined || spec.completions === null);
  return {
    parallelism: spec.parallelism ?? 1,
    completions: bothUnset ? 1 : (spec.completions ?? undefined),
    backoffLimit: spec.backoffLimit ?? 6,
    isIndexed: spec.completionMode === 'Indexed',
    isSuspended: spec.suspend === true,
    activeDeadlineSeconds: spec.activeDeadlineSeconds,
    replaceOnlyFailed: spec.podReplacementPolicy === 'Failed' || spec.podFailurePolicy !== undefined,
  };
}

/** The condition types that end a Job. */
export function finishedCondition(job: Readonly<Job>) {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}
