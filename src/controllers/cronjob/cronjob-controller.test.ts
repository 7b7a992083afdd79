import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronJobs, events, jobs } from '../../client/resources.ts';
import { jobController } from '../job/job-controller.ts';
import { startTestCluster, type TestCluster } from '../job/test-cluster.test-helpers.ts';
import type { Job } from '../job/types.ts';
import { cronJobController } from './cronjob-controller.ts';
import type { CronJob, CronJobSpec } from './types.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ controllers: [jobController, cronJobController], start: '2026-03-01T10:00:10Z' });
});
afterAll(async () => {
  await cluster.stop();
});

function cronJob(name: string, spec: Partial<CronJobSpec>, command = ['sh', '-c', 'sleep 1']): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: {
          template: {
            spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command }] },
          },
        },
      },
      ...spec,
    },
  };
}

const jobsOf = async (name: string) =>
  (await cluster.client.resource<Job>(jobs).list({ namespace: 'default', labelSelector: `app=${name}` })).items.filter(
    (j) => !j.metadata.deletionTimestamp,
  );
const eventsOf = async (name: string) =>
  (await cluster.client.resource(events).list({ namespace: 'default' })).items
    .filter((e) => (e.involvedObject as { name?: string }).name === name)
    .map((e) => `${e.reason}: ${e.message}`);

describe('cronjob controller on a cluster (fake clock)', () => {
  it('creates a Job every minute, records times, and prunes history to the limits', async () => {
    const api = cluster.client.resource<CronJob>(cronJobs);
    await api.create(cronJob('tick', { successfulJobsHistoryLimit: 2 }));
    const first = await cluster.eventually(
      async () => {
        const list = await jobsOf('tick');
        expect(list.length).toBeGreaterThanOrEqual(1);
        return list[0] as Job;
      },
      { stepMs: 5000 },
    );
    const scheduled = Math.floor(
      Date.parse(first.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? '') / 60_000,
    );
    expect(first.metadata.name).toBe(`tick-${scheduled}`);
    expect(first.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });

    // Five minutes later: five runs happened, only the two newest successful Jobs remain.
    const cj = await cluster.eventually(
      async () => {
        const c = await api.get('tick', 'default');
        const ev = await eventsOf('tick');
        expect(ev.filter((e) => e.startsWith('SuccessfulCreate: Created job tick-')).length).toBeGreaterThanOrEqual(5);
        expect(ev.some((e) => e.startsWith('SuccessfulDelete: Deleted job tick-'))).toBe(true);
        expect(ev.some((e) => /^SawCompletedJob: Saw completed job: tick-\d+, condition: Complete$/.test(e))).toBe(
          true,
        );
        const remaining = (await jobsOf('tick')).filter((j) =>
          j.status?.conditions?.some((x) => x.type === 'Complete' && x.status === 'True'),
        );
        expect(remaining.length).toBeLessThanOrEqual(2);
        expect(c.status?.lastSuccessfulTime).toBeDefined();
        return c;
      },
      { stepMs: 5000 },
    );
    expect(cj.status?.lastScheduleTime).toMatch(/^2026-03-01T10:\d\d:00Z$/);
  });

  it('with concurrencyPolicy Forbid does not start a Job while one runs', async () => {
    const api = cluster.client.resource<CronJob>(cronJobs);
    await api.create(cronJob('solo', { concurrencyPolicy: 'Forbid' }, ['sh', '-c', 'sleep 150']));
    await cluster.eventually(
      async () => {
        expect(await eventsOf('solo')).toContain(
          'JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid',
        );
      },
      { stepMs: 5000 },
    );
    expect(await jobsOf('solo')).toHaveLength(1);
    const c = await api.get('solo', 'default');
    expect(c.status?.active).toHaveLength(1);
    expect(c.status?.active?.[0]).toMatchObject({ kind: 'Job', apiVersion: 'batch/v1', namespace: 'default' });
  });

  it('with concurrencyPolicy Replace deletes the running Job and starts the next', async () => {
    const api = cluster.client.resource<CronJob>(cronJobs);
    await api.create(cronJob('swap', { concurrencyPolicy: 'Replace' }, ['sh', '-c', 'sleep 600']));
    await cluster.eventually(
      async () => {
        const ev = await eventsOf('swap');
        expect(ev.some((e) => e.startsWith('SuccessfulDelete: Deleted job swap-'))).toBe(true);
        expect(ev.filter((e) => e.startsWith('SuccessfulCreate')).length).toBeGreaterThanOrEqual(2);
      },
      { stepMs: 5000 },
    );
    const c = await api.get('swap', 'default');
    expect(c.status?.active).toHaveLength(1);
  });

  it('creates nothing while suspended', async () => {
    const api = cluster.client.resource<CronJob>(cronJobs);
    await api.create(cronJob('held', { suspend: true }));
    for (let i = 0; i < 30; i++) await cluster.clock.advance(10_000);
    expect(await jobsOf('held')).toHaveLength(0);
    expect((await api.get('held', 'default')).status?.lastScheduleTime).toBeUndefined();
  });
});
