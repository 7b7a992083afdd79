/** test/e2e/apimachinery/watch.go: watch semantics on configmaps. */
import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import assert from '../../helpers/assert.ts';
import { configMap } from '../../helpers/objects.ts';
import { eventFor, openWatch } from '../../helpers/watch.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

const label = 'watch-this-configmap';
const mutate = (ctx: ConformanceContext, name: string, value: string) =>
  ctx.client.resource(resources.configMaps).patch(name, ctx.namespace, 'merge', { data: { mutation: value } });
const mutation = (o: KubeObject) => (o.data as Record<string, string> | undefined)?.mutation;

export const watcherTests = [
  conformanceTest({
    codename:
      '[sig-api-machinery] Watchers should observe add, update, and delete watch notifications on configmaps [Conformance]',
    area: 'apimachinery',
    needs: ['watch', 'label-selector', 'crud'],
    async run(ctx) {
      const client = ctx.client.resource(resources.configMaps);
      const ns = ctx.namespace;
      const watchA = await openWatch(
        client,
        { namespace: ns, labelSelector: `${label}=multiple-watchers-A` },
        ctx.signal,
      );
      const watchB = await openWatch(
        client,
        { namespace: ns, labelSelector: `${label}=multiple-watchers-B` },
        ctx.signal,
      );
      const watchAB = await openWatch(
        client,
        { namespace: ns, labelSelector: `${label} in (multiple-watchers-A,multiple-watchers-B)` },
        ctx.signal,
      );
      const a = 'e2e-watch-test-configmap-a';
      const b = 'e2e-watch-test-configmap-b';
      await client.create(configMap(a, { namespace: ns, labels: { [label]: 'multiple-watchers-A' } }));
      await watchA.next(eventFor('ADDED', a), 'A added');
      await watchAB.next(eventFor('ADDED', a), 'A added (AB)');
      await mutate(ctx, a, '1');
      await watchA.next((e) => e.type === 'MODIFIED' && mutation(e.object) === '1', 'A modified 1');
      await watchAB.next((e) => e.type === 'MODIFIED' && mutation(e.object) === '1', 'A modified 1 (AB)');
      await mutate(ctx, a, '2');
      await watchA.next((e) => e.type === 'MODIFIED' && mutation(e.object) === '2', 'A modified 2');
      await client.delete(a, ns);
      await watchA.next(eventFor('DELETED', a), 'A deleted');
      await watchAB.next(eventFor('DELETED', a), 'A deleted (AB)');
      await client.create(configMap(b, { namespace: ns, labels: { [label]: 'multiple-watchers-B' } }));
      await watchB.next(eventFor('ADDED', b), 'B added');
      await watchAB.next(eventFor('ADDED', b), 'B added (AB)');
      await client.delete(b, ns);
      await watchB.next(eventFor('DELETED', b), 'B deleted');
      assert.ok(!watchB.seen.some((e) => e.object.metadata.name === a), 'watch B never saw configmap A');
      for (const w of [watchA, watchB, watchAB]) w.close();
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Watchers should be able to start watching from a specific resource version [Conformance]',
    area: 'apimachinery',
    needs: ['watch'],
    async run(ctx) {
      const client = ctx.client.resource(resources.configMaps);
      const name = 'e2e-watch-test-resource-version';
      await client.create(configMap(name, { namespace: ctx.namespace, labels: { [label]: 'from-resource-version' } }));
      const first = await mutate(ctx, name, '1');
      await mutate(ctx, name, '2');
      await client.delete(name, ctx.namespace);
      const watch = await openWatch(
        client,
        {
          namespace: ctx.namespace,
          labelSelector: `${label}=from-resource-version`,
          resourceVersion: first.metadata.resourceVersion ?? '',
        },
        ctx.signal,
      );
      const modified = await watch.next(() => true, 'first event after the resourceVersion');
      assert.equal(modified.type, 'MODIFIED');
      assert.equal(mutation(modified.object), '2');
      const deleted = await watch.next(() => true, 'second event');
      assert.equal(deleted.type, 'DELETED');
      watch.close();
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Watchers should be able to restart watching from the last resource version observed by the previous watch [Conformance]',
    area: 'apimachinery',
    needs: ['watch', 'label-selector'],
    async run(ctx) {
      const client = ctx.client.resource(resources.configMaps);
      const selector = `${label}=watch-closed-and-restarted`;
      const name = 'e2e-watch-test-watch-closed';
      const first = await openWatch(client, { namespace: ctx.namespace, labelSelector: selector }, ctx.signal);
      await client.create(
        configMap(name, { namespace: ctx.namespace, labels: { [label]: 'watch-closed-and-restarted' } }),
      );
      await mutate(ctx, name, '1');
      await first.next(eventFor('ADDED', name), 'added');
      const last = await first.next((e) => e.type === 'MODIFIED', 'modified 1');
      first.close();
      await mutate(ctx, name, '2');
      await client.delete(name, ctx.namespace);
      const second = await openWatch(
        client,
        {
          namespace: ctx.namespace,
          labelSelector: selector,
          resourceVersion: last.object.metadata.resourceVersion ?? '',
        },
        ctx.signal,
      );
      const modified = await second.next(() => true, 'modification made while not watching');
      assert.equal(modified.type, 'MODIFIED');
      assert.equal(mutation(modified.object), '2');
      assert.equal((await second.next(() => true, 'deletion')).type, 'DELETED');
      second.close();
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Watchers should observe an object deletion if it stops meeting the requirements of the selector [Conformance]',
    area: 'apimachinery',
    needs: ['watch', 'label-selector'],
    async run(ctx) {
      const client = ctx.client.resource(resources.configMaps);
      const name = 'e2e-watch-test-label-changed';
      const watch = await openWatch(
        client,
        { namespace: ctx.namespace, labelSelector: `${label}=label-changed-and-restored` },
        ctx.signal,
      );
      await client.create(
        configMap(name, { namespace: ctx.namespace, labels: { [label]: 'label-changed-and-restored' } }),
      );
      await mutate(ctx, name, '1');
      await watch.next(eventFor('ADDED', name), 'added');
      await watch.next(eventFor('MODIFIED', name), 'modified');
      await client.patch(name, ctx.namespace, 'merge', { metadata: { labels: { [label]: 'wrong-value' } } });
      await watch.next(eventFor('DELETED', name), 'DELETED when the label stops matching');
      await mutate(ctx, name, '2');
      await client.patch(name, ctx.namespace, 'merge', {
        metadata: { labels: { [label]: 'label-changed-and-restored' } },
      });
      const back = await watch.next(() => true, 'ADDED when the label matches again');
      assert.equal(back.type, 'ADDED');
      assert.equal(mutation(back.object), '2');
      await mutate(ctx, name, '3');
      assert.equal(mutation((await watch.next(eventFor('MODIFIED', name), 'modified 3')).object), '3');
      await client.delete(name, ctx.namespace);
      await watch.next(eventFor('DELETED', name), 'deleted');
      watch.close();
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] Watchers should receive events on concurrent watches in same order [Conformance]',
    area: 'apimachinery',
    needs: ['watch'],
    async run(ctx) {
      const client = ctx.client.resource(resources.configMaps);
      const start = await client.list({ namespace: ctx.namespace });
      const names = Array.from({ length: 10 }, (_, i) => `cm-order-${i}`);
      const watches = await Promise.all(
        [0, 1, 2].map(() =>
          openWatch(
            client,
            { namespace: ctx.namespace, resourceVersion: start.metadata.resourceVersion ?? '' },
            ctx.signal,
          ),
        ),
      );
      await Promise.all(
        names.map(async (name) => {
          await client.create(configMap(name, { namespace: ctx.namespace }));
          await mutate(ctx, name, '1');
          await client.delete(name, ctx.namespace);
        }),
      );
      const orders = await Promise.all(
        watches.map(async (w) => {
          for (let i = 0; i < names.length * 3; i++) await w.next(() => true, `event ${i}`);
          w.close();
          return w.seen.map((e) => e.object.metadata.resourceVersion);
        }),
      );
      assert.deepEqual(orders[1], orders[0]);
      assert.deepEqual(orders[2], orders[0]);
    },
  }),
];
