import { describe, expect, it } from 'vitest';
import { cronJobPrinter, jobPrinter } from './batch.ts';
import { ago, cells, hours, minutes, object } from './testing.ts';

const condition = (type: string, status = 'True') => ({ type, status });
const job = (
  spec: Record<string, unknown>,
  status: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
) => object('Job', { spec, status }, metadata);

describe('job printer', () => {
  it.each([
    ['Running without conditions', [], {}, 'Running'],
    ['Complete', [condition('SuccessCriteriaMet'), condition('Complete')], {}, 'Complete'],
    ['Failed', [condition('FailureTarget'), condition('Failed')], {}, 'Failed'],
    ['Terminating while deleting', [], { deletionTimestamp: ago(0) }, 'Terminating'],
    ['Complete even while deleting', [condition('Complete')], { deletionTimestamp: ago(0) }, 'Complete'],
    ['Suspended', [condition('Suspended')], {}, 'Suspended'],
    ['Running once resumed', [condition('Suspended', 'False')], {}, 'Running'],
    ['FailureTarget', [condition('FailureTarget')], {}, 'FailureTarget'],
    ['SuccessCriteriaMet', [condition('SuccessCriteriaMet')], {}, 'SuccessCriteriaMet'],
  ])('shows %s', (_case, conditions, metadata, expected) => {
    expect(cells(jobPrinter, job({}, { conditions }, metadata)).Status).toBe(expected);
  });

  it.each([
    ['completions set', { completions: 3 }, '2/3'],
    ['no completions', {}, '2/1'],
    ['a parallel work queue', { parallelism: 4 }, '2/1 of 4'],
  ])('prints Completions for %s', (_case, spec, expected) => {
    expect(cells(jobPrinter, job(spec, { succeeded: 2 })).Completions).toBe(expected);
  });

  it.each([
    ['nothing before the job started', {}, ''],
    ['time so far while running', { startTime: ago(minutes(3)) }, '3m'],
    ['start to completion when done', { startTime: ago(hours(2)), completionTime: ago(hours(2) - 45_000) }, '45s'],
  ])('prints Duration: %s', (_case, status, expected) => {
    expect(cells(jobPrinter, job({}, status)).Duration).toBe(expected);
  });
});

describe('cron job printer', () => {
  it('prints schedule, time zone, suspend, active and last schedule', () => {
    const cronJob = object('CronJob', {
      spec: {
        schedule: '*/5 * * * *',
        timeZone: 'Europe/Paris',
        suspend: true,
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } },
      },
      status: { active: [{ name: 'j1' }, { name: 'j2' }], lastScheduleTime: ago(minutes(2)) },
    });
    expect(cells(cronJobPrinter, cronJob)).toMatchObject({
      Schedule: '*/5 * * * *',
      Timezone: 'Europe/Paris',
      Suspend: 'True',
      Active: 2,
      'Last Schedule': '2m',
      Containers: 'c',
      Images: 'busybox',
      Selector: '<none>',
    });
  });

  it('prints defaults for a new cron job', () => {
    const row = cells(cronJobPrinter, object('CronJob', { spec: { schedule: '@hourly' } }));
    expect(row).toMatchObject({ Timezone: '<none>', Suspend: 'False', Active: 0, 'Last Schedule': '<none>' });
  });
});
