/** test/e2e/apimachinery/namespace.go and resource_quota.go: namespace and quota object operations. */
import { resources } from '../../../src/client/index.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectNotFound } from '../../helpers/expect-status.ts';
import { object } from '../../helpers/objects.ts';
import { statusOf } from '../../helpers/workloads.ts';
import { conformanceTest } from '../../suite.ts';

export const namespaceTests = [
  conformanceTest({
    codename: '[sig-api-machinery] Namespaces [Serial] should patch a Namespace [Conformance]',
    area: 'apimachinery',
    needs: ['namespace-lifecycle', 'patch'],
    async run(ctx) {
      const client = ctx.client.resource(resources.namespaces);
      await client.patch(ctx.namespace, undefined, 'strategic', { metadata: { labels: { testLabel: 'testValue' } } });
      assert.equal((await client.get(ctx.namespace)).metadata.labels?.testLabel, 'testValue');
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] Namespaces [Serial] should apply an update to a Namespace [Conformance]',
    area: 'apimachinery',
    needs: ['namespace-lifecycle', 'crud'],
    async run(ctx) {
      const client = ctx.client.resource(resources.namespaces);
      const updated = await retryOnConflict(async () => {
        const current = await client.get(ctx.namespace);
        current.metadata.labels = { ...current.metadata.labels, 'e2e-update': 'true' };
        return client.update(current);
      });
      assert.equal(updated.metadata.labels?.['e2e-update'], 'true');
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] Namespaces [Serial] should apply changes to a namespace status [Conformance]',
    area: 'apimachinery',
    needs: ['namespace-lifecycle', 'status-subresource', 'patch'],
    async run(ctx) {
      const client = ctx.client.resource(resources.namespaces);
      const condition = { type: 'StatusPatch', status: 'True', reason: 'E2E', message: 'Patched by an e2e test' };
      const patched = await client.patch(
        ctx.namespace,
        undefined,
        'merge',
        { status: { conditions: [condition] } },
        { subresource: 'status' },
      );
      const conditions = (statusOf(patched).conditions as Array<{ type: string }> | undefined) ?? [];
      assert.ok(
        conditions.some((c) => c.type === 'StatusPatch'),
        'patched condition present',
      );
      const updated = await retryOnConflict(async () => {
        const current = await client.get(ctx.namespace);
        statusOf(current).conditions = [{ ...condition, type: 'StatusUpdate', message: 'Updated by an e2e test' }];
        return client.updateStatus(current);
      });
      assert.ok(
        ((statusOf(updated).conditions as Array<{ type: string }> | undefined) ?? []).some(
          (c) => c.type === 'StatusUpdate',
        ),
        'namespace status carries the StatusUpdate condition',
      );
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] Namespaces [Serial] should apply a finalizer to a Namespace [Conformance]',
    area: 'apimachinery',
    needs: ['namespace-lifecycle', 'crud'],
    async run(ctx) {
      const client = ctx.client.resource(resources.namespaces);
      const current = await client.get(ctx.namespace);
      const spec = (current.spec ?? {}) as { finalizers?: string[] };
      current.spec = { ...spec, finalizers: [...(spec.finalizers ?? []), 'e2e.example.com/fakeFinalizer'] };
      const finalized = await client.updateSubresource(current, 'finalize');
      assert.ok(
        ((finalized.spec as { finalizers?: string[] }).finalizers ?? []).includes('e2e.example.com/fakeFinalizer'),
        'finalize added the fake finalizer',
      );
      const back = await client.get(ctx.namespace);
      back.spec = {
        finalizers: ((back.spec as { finalizers?: string[] }).finalizers ?? []).filter(
          (f) => f !== 'e2e.example.com/fakeFinalizer',
        ),
      };
      const removed = await client.updateSubresource(back, 'finalize');
      assert.ok(
        !((removed.spec as { finalizers?: string[] }).finalizers ?? []).includes('e2e.example.com/fakeFinalizer'),
        'finalize removed the fake finalizer',
      );
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] ResourceQuota should be able to update and delete ResourceQuota. [Conformance]',
    area: 'apimachinery',
    needs: ['resource-quota', 'crud'],
    async run(ctx) {
      const client = ctx.client.resource(resources.resourceQuotas);
      await client.create(
        object(
          'v1',
          'ResourceQuota',
          'test-quota',
          { namespace: ctx.namespace },
          { spec: { hard: { cpu: '1', memory: '500Mi' } } },
        ),
      );
      const fetched = await client.get('test-quota', ctx.namespace);
      assert.deepEqual((fetched.spec as { hard: Record<string, string> }).hard, { cpu: '1', memory: '500Mi' });
      const updated = await retryOnConflict(async () => {
        const current = await client.get('test-quota', ctx.namespace);
        (current.spec as { hard: Record<string, string> }).hard.cpu = '2';
        return client.update(current);
      });
      assert.equal((updated.spec as { hard: Record<string, string> }).hard.cpu, '2');
      await client.delete('test-quota', ctx.namespace);
      await expectNotFound(client.get('test-quota', ctx.namespace));
    },
  }),
];
