/** Printers for batch/v1: Job and CronJob. */
import type { Printer } from '../types.ts';
import { age, humanDuration, parseTime, since } from './age.ts';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, selectorColumn } from './columns.ts';
import { containerCells } from './containers.ts';
import { integer, optionalBoolean, optionalInteger, optionalText, record, records, text } from './fields.ts';
import { formatLabelSelector } from './labels.ts';

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Where the job is: Running, Complete, Failed, Suspended, Terminating, ...'),
    column('Completions', 'string', 'Succeeded pods out of the completions asked for.'),
    column('Duration', 'string', 'How long the job ran, or has been running.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row(job, now) {
    return [
      text(job, 'metadata', 'name'),
      jobStatus(job),
      completions(job),
      jobDuration(job, now),
      age(job, now),
      ...containerCells(record(job, 'spec', 'template', 'spec')),
      formatLabelSelector(record(job, 'spec', 'selector')),
    ];
  },
};

/**
 * The first that applies: a terminal condition, deletion, then the interim conditions
 * (printers.go printJob order).
 */
function jobStatus(job: unknown): string {
  const conditions = records(job, 'status', 'conditions');
  // kube looks at the first condition of a type only.
  const isTrue = (type: string) =>
    text(
      conditions.find((c) => text(c, 'type') === type),
      'status',
    ) === 'True';
  if (isTrue('Complete')) return 'Complete';
  if (isTrue('Failed')) return 'Failed';
  if (text(job, 'metadata', 'deletionTimestamp') !== '') return 'Terminating';
  if (isTrue('Suspended')) return 'Suspended';
  if (isTrue('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (isTrue('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** `1/3`; without spec.completions `0/1`, or `0/1 of 4` for a parallel work queue. */
function completions(job: unknown): string {
  const succeeded = integer(job, 'status', 'succeeded');
  const wanted = optionalInteger(job, 'spec', 'completions');
  if (wanted !== undefined) return `${succeeded}/${wanted}`;
  const parallelism = integer(job, 'spec', 'parallelism');
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** completionTime - startTime, or now - startTime while running; empty before the job started. */
function jobDuration(job: unknown, now: number): string {
  const start = parseTime(text(job, 'status', 'startTime'));
  if (start === undefined) return '';
  const end = parseTime(text(job, 'status', 'completionTime')) ?? now;
  return humanDuration(end - start);
}

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Schedule', 'string', 'The cron schedule.'),
    column('Timezone', 'string', 'The time zone the schedule is read in.'),
    column('Suspend', 'boolean', 'Whether new runs are held back.'),
    column('Active', 'integer', 'Jobs of this cron job running now.'),
    column('Last Schedule', 'string', 'How long ago a job was last scheduled.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row(cronJob, now) {
    const jobSpec = record(cronJob, 'spec', 'jobTemplate', 'spec');
    const lastSchedule = text(cronJob, 'status', 'lastScheduleTime');
    // spec.suspend defaults to false; kube prints the pointer as the strings True/False.
    const suspend = optionalBoolean(cronJob, 'spec', 'suspend') === true ? 'True' : 'False';
    return [
      text(cronJob, 'metadata', 'name'),
      text(cronJob, 'spec', 'schedule'),
      optionalText(cronJob, 'spec', 'timeZone') ?? '<none>',
      suspend,
      records(cronJob, 'status', 'active').length,
      lastSchedule === '' ? '<none>' : since(lastSchedule, now),
      age(cronJob, now),
      ...containerCells(record(jobSpec, 'template', 'spec')),
      formatLabelSelector(record(jobSpec, 'selector')),
    ];
  },
};
