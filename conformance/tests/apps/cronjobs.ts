/**
 * test/e2e/apps/cronjob.go: concurrency policies and suspension. Every-minute schedules make these the
 * slowest tests of the suite (up to two schedule ticks each); they run alongside the rest.
 */

import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import assert from '../../helpers/assert.ts';
import { object } from '../../helpers/objects.ts';
import { controlledBy } from '../../helpers/owners.ts';
import { statusOf } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

function cronJob(name: string, ns: string, o: { concurrencyPolicy: string; suspend?: boolean; command?: string[] }) {
  return object(
    'batch/v1',
    'CronJob',
    name,
    { namespace: ns },
    {
      spec: {
        schedule: '*/1 * * * ?',
        concurrencyPolicy: o.concurrencyPolicy,
        suspend: o.suspend ?? false,
        jobTemplate: {
          spec: {
            parallelism: 1,
            completions: 1,
            backoffLimit: 6,
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                terminationGracePeriodSeconds: 1,
                containers: [
                  {
                    name: 'c',
                    image: 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1',
                    command: o.command ?? ['sleep', '300'],
                  },
                ],
              },
            },
          },
        },
      },
    },
  );
}

const activeOf = (cj: KubeObject) =>
  ((statusOf(cj).active as Array<{ name: string }> | undefined) ?? []).map((r) => r.name);

async function activeJobs(ctx: ConformanceContext, cj: KubeObject) {
  const jobs = (await ctx.client.resource(resources.jobs).list({ namespace: ctx.namespace })).items;
  return jobs.filter((j) => controlledBy(j, cj) && !j.metadata.deletionTimestamp && !isFinished(j));
}
const isFinished = (j: KubeObject) =>
  ((statusOf(j).conditions as Array<{ type: string; status: string }> | undefined) ?? []).some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );

const waitForActive = (ctx: ConformanceContext, cj: KubeObject, count: number) =>
  eventually(
    async () => {
      const active = await activeJobs(ctx, cj);
      assert.ok(active.length >= count, `${active.length}/${count} active jobs`);
      return active;
    },
    { what: `${count} active jobs`, signal: ctx.signal, timeoutMs: 150_000, intervalMs: 1000 },
  );

/** Fails if more than `max` jobs are ever active during `ms`. */
async function ensureAtMostActive(ctx: ConformanceContext, cj: KubeObject, max: number, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !ctx.signal.aborted) {
    const active = await activeJobs(ctx, cj);
    assert.ok(active.length <= max, `${active.length} jobs active, at most ${max} allowed`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

export const cronJobTests = [
  conformanceTest({
    codename: '[sig-apps] CronJob should schedule multiple jobs concurrently [Conformance]',
    area: 'apps',
    needs: ['cronjob-controller', 'job-controller', 'kubelet-sim'],
    timeoutMs: 200_000,
    async run(ctx) {
      const cj = await ctx.client
        .resource(resources.cronJobs)
        .create(cronJob('concurrent', ctx.namespace, { concurrencyPolicy: 'Allow' }));
      await waitForActive(ctx, cj, 2);
      const status = await ctx.client.resource(resources.cronJobs).get('concurrent', ctx.namespace);
      assert.ok(activeOf(status).length >= 2, `status.active lists ${activeOf(status).join(',')}`);
    },
  }),
  conformanceTest({
    codename: '[sig-apps] CronJob should replace jobs when ReplaceConcurrent [Conformance]',
    area: 'apps',
    needs: ['cronjob-controller', 'job-controller', 'kubelet-sim'],
    timeoutMs: 200_000,
    async run(ctx) {
      const cj = await ctx.client
        .resource(resources.cronJobs)
        .create(cronJob('replace', ctx.namespace, { concurrencyPolicy: 'Replace' }));
      const [first] = await waitForActive(ctx, cj, 1);
      assert.ok(first, 'a first Job is active');
      await eventually(
        async () => {
          const active = await activeJobs(ctx, cj);
          assert.equal(active.length, 1, `${active.length} active jobs`);
          assert.notEqual(active[0]?.metadata.name, first.metadata.name, 'first job still active');
        },
        { what: 'first job replaced', signal: ctx.signal, timeoutMs: 150_000, intervalMs: 1000 },
      );
      const names = activeOf(await ctx.client.resource(resources.cronJobs).get('replace', ctx.namespace));
      assert.ok(!names.includes(first.metadata.name ?? ''), 'status.active no longer lists the replaced job');
    },
  }),
  conformanceTest({
    codename: '[sig-apps] CronJob should not schedule new jobs when ForbidConcurrent [Slow] [Conformance]',
    area: 'apps',
    needs: ['cronjob-controller', 'job-controller', 'kubelet-sim'],
    timeoutMs: 240_000,
    async run(ctx) {
      const cj = await ctx.client
        .resource(resources.cronJobs)
        .create(cronJob('forbid', ctx.namespace, { concurrencyPolicy: 'Forbid' }));
      await waitForActive(ctx, cj, 1);
      await ensureAtMostActive(ctx, cj, 1, 65_000);
      const status = await ctx.client.resource(resources.cronJobs).get('forbid', ctx.namespace);
      assert.equal(activeOf(status).length, 1, 'status.active lists exactly one job');
    },
  }),
  conformanceTest({
    codename: '[sig-apps] CronJob should not schedule jobs when suspended [Slow] [Conformance]',
    area: 'apps',
    needs: ['cronjob-controller'],
    timeoutMs: 120_000,
    async run(ctx) {
      const cj = await ctx.client
        .resource(resources.cronJobs)
        .create(cronJob('suspended', ctx.namespace, { concurrencyPolicy: 'Allow', suspend: true }));
      await ensureAtMostActive(ctx, cj, 0, 65_000);
      const jobs = (await ctx.client.resource(resources.jobs).list({ namespace: ctx.namespace })).items;
      assert.equal(jobs.length, 0, 'a suspended CronJob created jobs');
      const status = await ctx.client.resource(resources.cronJobs).get('suspended', ctx.namespace);
      assert.equal(activeOf(status).length, 0);
    },
  }),
];
