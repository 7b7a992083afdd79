/** test/e2e/apps/job.go: status subresource, deletion, adoption/release and Indexed completion. */
import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectNotFound } from '../../helpers/expect-status.ts';
import { job } from '../../helpers/objects.ts';
import { controlledBy, ownerRefsOf } from '../../helpers/owners.ts';
import { statusOf } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

const jobPods = async (ctx: ConformanceContext, name: string) =>
  (await ctx.client.resource(resources.pods).list({ namespace: ctx.namespace, labelSelector: `job-name=${name}` }))
    .items;

async function waitForActivePods(ctx: ConformanceContext, name: string, count: number) {
  return eventually(
    async () => {
      const running = (await jobPods(ctx, name)).filter(
        (p) => !p.metadata.deletionTimestamp && (p.status as { phase?: string }).phase === 'Running',
      );
      assert.equal(running.length, count, `${running.length}/${count} job pods running`);
      return running;
    },
    { what: `job ${name} pods running`, signal: ctx.signal, timeoutMs: 45_000 },
  );
}

const isoNow = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString().replace(/\.\d+Z$/, 'Z');

export const jobTests = [
  conformanceTest({
    codename: '[sig-apps] Job should apply changes to a job status [Conformance]',
    area: 'apps',
    needs: ['status-subresource', 'patch', 'job-controller'],
    async run(ctx) {
      const ns = ctx.namespace;
      const client = ctx.client.resource(resources.jobs);
      const created = await client.create(
        job('e2e-status', { namespace: ns, spec: { parallelism: 1, completions: 1 } }),
      );
      await waitForActivePods(ctx, 'e2e-status', 1);
      const startTime = isoNow(-60_000);
      const patched = await client.patch(
        'e2e-status',
        ns,
        'merge',
        { metadata: { annotations: { patchedstatus: 'true' } }, status: { startTime } },
        { subresource: 'status' },
      );
      assert.equal(statusOf(patched).startTime, startTime, 'startTime patched through /status');
      const viaStatus = await ctx.api.getJson<KubeObject>(`/apis/batch/v1/namespaces/${ns}/jobs/e2e-status/status`);
      assert.equal(viaStatus.metadata.uid, created.metadata.uid);
      const later = isoNow(-30_000);
      const updated = await retryOnConflict(async () => {
        const current = await client.get('e2e-status', ns);
        (current.status as { startTime: string }).startTime = later;
        return client.updateStatus(current);
      });
      assert.equal(statusOf(updated).startTime, later, 'startTime updated through /status');
    },
  }),
  conformanceTest({
    codename: '[sig-apps] Job should delete a job [Conformance]',
    area: 'apps',
    needs: ['job-controller', 'gc', 'kubelet-sim'],
    async run(ctx) {
      const client = ctx.client.resource(resources.jobs);
      await client.create(job('foo', { namespace: ctx.namespace, spec: { parallelism: 2, completions: 2 } }));
      await waitForActivePods(ctx, 'foo', 2);
      await client.delete('foo', ctx.namespace, { propagationPolicy: 'Foreground' });
      await eventually(() => expectNotFound(client.get('foo', ctx.namespace)), {
        what: 'job deleted',
        signal: ctx.signal,
        timeoutMs: 45_000,
      });
      assert.equal((await jobPods(ctx, 'foo')).length, 0, 'job pods deleted with it');
    },
  }),
  conformanceTest({
    codename: '[sig-apps] Job should adopt matching orphans and release non-matching pods [Conformance]',
    area: 'apps',
    needs: ['job-controller', 'kubelet-sim'],
    async run(ctx) {
      const ns = ctx.namespace;
      const pods = ctx.client.resource(resources.pods);
      const created = await ctx.client
        .resource(resources.jobs)
        .create(job('adopt-release', { namespace: ns, spec: { parallelism: 2, completions: 2 } }));
      const [first] = await waitForActivePods(ctx, 'adopt-release', 2);
      assert.ok(first, 'the Job has a pod');
      const name = first.metadata.name ?? '';
      await retryOnConflict(async () => {
        const p = await pods.get(name, ns);
        (p.metadata as { ownerReferences?: unknown[] }).ownerReferences = [];
        return pods.update(p);
      });
      await eventually(async () => assert.ok(controlledBy(await pods.get(name, ns), created), 'orphan re-adopted'), {
        what: 'orphan adopted',
        signal: ctx.signal,
      });
      await retryOnConflict(async () => {
        const p = await pods.get(name, ns);
        p.metadata.labels = {};
        return pods.update(p);
      });
      await eventually(
        async () =>
          assert.equal(ownerRefsOf(await pods.get(name, ns)).filter((r) => r.uid === created.metadata.uid).length, 0),
        { what: 'non-matching pod released', signal: ctx.signal },
      );
    },
  }),
  conformanceTest({
    codename:
      '[sig-apps] Job should create pods for an Indexed job with completion indexes and specified hostname [Conformance]',
    area: 'apps',
    needs: ['job-controller', 'kubelet-sim'],
    async run(ctx) {
      const ns = ctx.namespace;
      const client = ctx.client.resource(resources.jobs);
      const body = job('indexed-job', {
        namespace: ns,
        command: ['sh', '-c', 'exit 0'],
        spec: { parallelism: 2, completions: 4, completionMode: 'Indexed' },
      });
      const template = (body.spec as { template: { spec: Record<string, unknown> } }).template;
      template.spec.subdomain = 'indexed-job';
      await client.create(body);
      await eventually(
        async () => {
          const s = statusOf(await client.get('indexed-job', ns));
          assert.equal(s.succeeded, 4, `succeeded ${String(s.succeeded)}`);
          assert.equal(s.completedIndexes, '0-3');
        },
        { what: 'indexed job complete', signal: ctx.signal, timeoutMs: 45_000 },
      );
      const succeeded = (await jobPods(ctx, 'indexed-job')).filter(
        (p) => (p.status as { phase?: string }).phase === 'Succeeded',
      );
      const indexes = new Set<string>();
      for (const p of succeeded) {
        const index = p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] ?? '';
        indexes.add(index);
        assert.equal((p.spec as { hostname?: string }).hostname, `indexed-job-${index}`, 'hostname carries the index');
      }
      assert.deepEqual([...indexes].sort(), ['0', '1', '2', '3']);
    },
  }),
];
