/**
 * successfulJobsHistoryLimit and failedJobsHistoryLimit: finished Jobs beyond the limit go, oldest
 * first by start time (creation time when a Job never started), as cleanupFinishedJobs does.
 */
import { finishedCondition } from '../job/job-spec.ts';
import type { Job } from '../job/types.ts';

const startOf = (j: Readonly<Job>) => Date.parse(j.status?.startTime ?? j.metadata.creationTimestamp ?? '') || 0;

function oldestBeyond(list: readonly Readonly<Job>[], limit: number): Readonly<Job>[] {
  if (list.length <= limit) return [];
  return [...list].sort((a, b) => startOf(a) - startOf(b)).slice(0, list.length - Math.max(0, limit));
}

export function jobsToPrune(
  owned: readonly Readonly<Job>[],
  successfulLimit: number,
  failedLimit: number,
): Readonly<Job>[] {
  const live = owned.filter((j) => !j.metadata.deletionTimestamp);
  const succeeded = live.filter((j) => finishedCondition(j)?.type === 'Complete');
  const failed = live.filter((j) => finishedCondition(j)?.type === 'Failed');
  return [...oldestBeyond(succeeded, successfulLimit), ...oldestBeyond(failed, failedLimit)];
}
