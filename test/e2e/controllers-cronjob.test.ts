/**
 * A CronJob every minute through real kubectl against `wharf up`: it creates a Job at each minute,
 * records lastScheduleTime and lastSuccessfulTime, and with successfulJobsHistoryLimit 1 deletes the
 * older finished Job once a newer one has succeeded. Real minutes pass, so this file takes about two.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { kubectlFor, until } from './controllers-kubectl.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 2 });
}, 60_000);
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

interface JobSummary {
  metadata: { name: string; ownerReferences?: { kind: string; name: string }[] };
  status?: { succeeded?: number };
}

describe('CronJob every minute', () => {
  const k = kubectlFor('1.35', () => wharf.kubeconfig);
  const ns = 'cron-e2e';

  it('creates a Job each minute and prunes finished ones beyond the history limit', async () => {
    await k.ok('create', 'namespace', ns);
    await k.okWith(
      `apiVersion: batch/v1
kind: CronJob
metadata: { name: tick, namespace: ${ns} }
spec:
  schedule: "* * * * *"
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{ name: app, image: busybox, command: [sh, -c, "echo tick"] }]`,
      'apply',
      '-f',
      '-',
    );
    const jobs = async () => (await k.json<{ items: JobSummary[] }>('-n', ns, 'get', 'jobs')).items;
    const seen = new Set<string>();
    // Two scheduled runs: the first Job is deleted once the second has succeeded.
    await until(
      async () => {
        const current = await jobs();
        for (const j of current) seen.add(j.metadata.name);
        expect(seen.size).toBeGreaterThanOrEqual(2);
        const succeeded = current.filter((j) => (j.status?.succeeded ?? 0) > 0);
        expect(succeeded).toHaveLength(1);
        expect(current).toHaveLength(1);
      },
      150_000,
      1000,
    );
    for (const name of seen) expect(name).toMatch(/^tick-\d+$/);
    const [remaining] = await jobs();
    expect(remaining?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick' });
    const cron = await k.json<{ status: { lastScheduleTime?: string; lastSuccessfulTime?: string } }>(
      '-n',
      ns,
      'get',
      'cronjob',
      'tick',
    );
    expect(cron.status.lastScheduleTime).toMatch(/:00Z$/);
    expect(cron.status.lastSuccessfulTime).toBeDefined();
    const described = await k.ok('-n', ns, 'describe', 'cronjob', 'tick');
    expect(described).toMatch(/SuccessfulCreate\s+.*Created job tick-\d+/);
    expect(described).toMatch(/SuccessfulDelete\s+.*Deleted job tick-\d+/);
    expect(described).toMatch(/SawCompletedJob\s+.*Saw completed job: tick-\d+, condition: Complete/);
  }, 200_000);
});
