/** disruption.go and statefulset.go tests that exercise the API of PDBs and StatefulSets. */
import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectNotFound } from '../../helpers/expect-status.ts';
import { object, pod, workload } from '../../helpers/objects.ts';
import { openWatch } from '../../helpers/watch.ts';
import { statusOf, waitForRunningPods } from '../../helpers/workloads.ts';
import { conformanceTest } from '../../suite.ts';

const pdb = (name: string, ns: string, spec: Record<string, unknown>, labels?: Record<string, string>) =>
  object('policy/v1', 'PodDisruptionBudget', name, { namespace: ns, ...(labels ? { labels } : {}) }, { spec });
type Conditions = Array<{ type: string; status: string; reason?: string }>;
const conditionsOf = (o: KubeObject) => (statusOf(o).conditions as Conditions | undefined) ?? [];

export const appsApiObjectTests = [
  conformanceTest({
    codename: '[sig-apps] DisruptionController should create a PodDisruptionBudget [Conformance]',
    area: 'apps',
    needs: ['crud', 'patch'],
    async run(ctx) {
      const ns = ctx.namespace;
      const client = ctx.client.resource(resources.podDisruptionBudgets);
      await client.create(pdb('foo', ns, { selector: { matchLabels: { foo: 'bar' } }, minAvailable: 2 }));
      const listed = await client.list({ namespace: ns });
      assert.equal(listed.items.length, 1);
      assert.ok(
        (await client.list()).items.some((p) => p.metadata.namespace === ns),
        'listed in all namespaces',
      );
      const updated = await retryOnConflict(async () => {
        const current = await client.get('foo', ns);
        (current.spec as { minAvailable: number }).minAvailable = 3;
        return client.update(current);
      });
      assert.equal((updated.spec as { minAvailable: number }).minAvailable, 3);
      const patched = await client.patch('foo', ns, 'merge', { spec: { minAvailable: 4 } });
      assert.equal((patched.spec as { minAvailable: number }).minAvailable, 4);
      await client.delete('foo', ns);
      await eventually(() => expectNotFound(client.get('foo', ns)), { what: 'PDB deleted', signal: ctx.signal });
    },
  }),
  conformanceTest({
    codename: '[sig-apps] DisruptionController should update/patch PodDisruptionBudget status [Conformance]',
    area: 'apps',
    needs: ['status-subresource', 'patch'],
    async run(ctx) {
      const ns = ctx.namespace;
      const client = ctx.client.resource(resources.podDisruptionBudgets);
      await client.create(pdb('pdb-status', ns, { selector: { matchLabels: { foo: 'bar' } }, minAvailable: 1 }));
      const status = await ctx.api.getJson<KubeObject>(
        `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/pdb-status/status`,
      );
      assert.equal(status.metadata.name, 'pdb-status');
      const updated = await retryOnConflict(async () => {
        const current = await client.get('pdb-status', ns);
        current.status ??= {};
        (current.status as { disruptedPods?: Record<string, string> }).disruptedPods = {
          [`${ns}-pod`]: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        };
        return client.updateStatus(current);
      });
      assert.ok((statusOf(updated).disruptedPods as Record<string, string>)[`${ns}-pod`], 'disruptedPods updated');
      // Clearing disruptedPods through a merge patch of /status: the patch's own response is what the
      // upstream test reads (the disruption controller owns the other status fields and may rewrite them).
      const patched = await client.patch(
        'pdb-status',
        ns,
        'merge',
        { status: { disruptedPods: null } },
        { subresource: 'status' },
      );
      assert.equal(
        Object.keys((statusOf(patched).disruptedPods as Record<string, string> | undefined) ?? {}).length,
        0,
      );
    },
  }),
  conformanceTest({
    codename: '[sig-apps] DisruptionController should observe PodDisruptionBudget status updated [Conformance]',
    area: 'apps',
    needs: ['disruption-controller', 'kubelet-sim'],
    async run(ctx) {
      const ns = ctx.namespace;
      const client = ctx.client.resource(resources.podDisruptionBudgets);
      await client.create(pdb('foo', ns, { selector: { matchLabels: { foo: 'bar' } }, minAvailable: 1 }));
      const pods = ctx.client.resource(resources.pods);
      for (const i of [0, 1, 2]) await pods.create(pod(`pod-${i}`, { namespace: ns, labels: { foo: 'bar' } }));
      await waitForRunningPods(ctx, { foo: 'bar' }, 3);
      await eventually(
        async () => {
          const s = statusOf(await client.get('foo', ns));
          assert.equal(s.expectedPods, 3);
          assert.equal(s.currentHealthy, 3);
          assert.equal(s.desiredHealthy, 1);
          assert.equal(s.disruptionsAllowed, 2);
        },
        { what: 'PDB status counts the pods', signal: ctx.signal },
      );
    },
  }),
  conformanceTest({
    codename:
      '[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] should list, patch and delete a collection of StatefulSets [Conformance]',
    area: 'apps',
    needs: ['statefulset-controller', 'label-selector', 'patch', 'deletecollection'],
    async run(ctx) {
      const ns = ctx.namespace;
      const client = ctx.client.resource(resources.statefulSets);
      const labels = { 'test-ss': 'list' };
      await client.create(
        workload('StatefulSet', 'ss', { namespace: ns, labels, replicas: 1, selector: { baz: 'blah', foo: 'bar' } }),
      );
      await waitForRunningPods(ctx, { baz: 'blah', foo: 'bar' }, 1);
      const listed = await client.list({ labelSelector: 'test-ss=list' });
      assert.ok(
        listed.items.some((s) => s.metadata.namespace === ns),
        'list across namespaces includes the StatefulSet',
      );
      const patched = await client.patch('ss', ns, 'merge', { metadata: { labels: { 'test-ss': 'patched' } } });
      assert.equal(patched.metadata.labels?.['test-ss'], 'patched');
      await client.deleteCollection({ namespace: ns, labelSelector: 'test-ss=patched' });
      await eventually(async () => assert.equal((await client.list({ namespace: ns })).items.length, 0), {
        what: 'StatefulSets deleted',
        signal: ctx.signal,
      });
    },
  }),
  conformanceTest({
    codename:
      '[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] should validate Statefulset Status endpoints [Conformance]',
    area: 'apps',
    needs: ['status-subresource', 'patch', 'watch'],
    async run(ctx) {
      const ns = ctx.namespace;
      const client = ctx.client.resource(resources.statefulSets);
      const created = await client.create(
        workload('StatefulSet', 'ss', { namespace: ns, replicas: 1, selector: { baz: 'blah', foo: 'bar' } }),
      );
      await waitForRunningPods(ctx, { baz: 'blah', foo: 'bar' }, 1);
      const status = await ctx.api.getJson<KubeObject>(`/apis/apps/v1/namespaces/${ns}/statefulsets/ss/status`);
      assert.equal(status.metadata.uid, created.metadata.uid);
      const watch = await openWatch(client, { namespace: ns, fieldSelector: 'metadata.name=ss' }, ctx.signal);
      ctx.defer(async () => watch.close());
      await retryOnConflict(async () => {
        const current = await client.get('ss', ns);
        (statusOf(current) as { conditions?: Conditions }).conditions = [
          ...conditionsOf(current),
          { type: 'StatusUpdate', status: 'True', reason: 'E2E' },
        ];
        return client.updateStatus(current);
      });
      await watch.next(
        (e) => e.type === 'MODIFIED' && conditionsOf(e.object).some((c) => c.type === 'StatusUpdate'),
        'status updated',
      );
      await client.patch(
        'ss',
        ns,
        'merge',
        { status: { conditions: [{ type: 'StatusPatched', status: 'True' }] } },
        { subresource: 'status' },
      );
      await watch.next(
        (e) => e.type === 'MODIFIED' && conditionsOf(e.object).some((c) => c.type === 'StatusPatched'),
        'status patched',
      );
    },
  }),
];
