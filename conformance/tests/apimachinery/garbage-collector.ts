/** test/e2e/apimachinery/garbage_collector.go: background, orphan and foreground deletion of owners. */
import { resources } from '../../../src/client/index.ts';
import { isStatusError } from '../../../src/status.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectNotFound } from '../../helpers/expect-status.ts';
import { pod, podSpec, replicationController, workload } from '../../helpers/objects.ts';
import { ownerRefsOf, ownerRefTo } from '../../helpers/owners.ts';
import { selectorOf } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

const gcLabels = (name: string) => ({ name, gctest: name });

async function podsWith(ctx: ConformanceContext, labels: Record<string, string>) {
  const list = await ctx.client
    .resource(resources.pods)
    .list({ namespace: ctx.namespace, labelSelector: selectorOf(labels) });
  return list.items;
}

async function waitForPodCount(ctx: ConformanceContext, labels: Record<string, string>, count: number, what: string) {
  return eventually(
    async () => {
      const pods = await podsWith(ctx, labels);
      assert.equal(pods.length, count, `${pods.length} pods, want ${count}`);
      return pods;
    },
    { what, signal: ctx.signal, timeoutMs: 45_000 },
  );
}

/** An RC whose pods take `grace` seconds to terminate, so foreground deletion is observable. */
function gcRc(ctx: ConformanceContext, name: string, replicas: number, grace = 1): KubeObject {
  const rc = replicationController(name, { namespace: ctx.namespace, replicas, selector: gcLabels(name) });
  (rc.spec as { template: { spec: Record<string, unknown> } }).template.spec = {
    ...podSpec({ containerName: 'nginx' }),
    terminationGracePeriodSeconds: grace,
  };
  return rc;
}

export const garbageCollectorTests = [
  conformanceTest({
    codename: '[sig-api-machinery] Garbage collector should delete pods created by rc when not orphaning [Conformance]',
    area: 'apimachinery',
    needs: ['gc', 'rc-controller'],
    async run(ctx) {
      const name = 'simpletest.rc';
      const rcs = ctx.client.resource(resources.replicationControllers);
      await rcs.create(gcRc(ctx, name, 2));
      await waitForPodCount(ctx, gcLabels(name), 2, 'rc created its pods');
      await rcs.delete(name, ctx.namespace);
      await waitForPodCount(ctx, gcLabels(name), 0, 'gc deleted the pods');
      await expectNotFound(rcs.get(name, ctx.namespace));
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Garbage collector should orphan pods created by rc if delete options say so [Conformance]',
    area: 'apimachinery',
    needs: ['gc', 'rc-controller'],
    async run(ctx) {
      const name = 'simpletest.rc';
      const rcs = ctx.client.resource(resources.replicationControllers);
      await rcs.create(gcRc(ctx, name, 2));
      await waitForPodCount(ctx, gcLabels(name), 2, 'rc created its pods');
      await rcs.delete(name, ctx.namespace, { propagationPolicy: 'Orphan' });
      await eventually(() => expectNotFound(rcs.get(name, ctx.namespace)), { what: 'rc deleted', signal: ctx.signal });
      // Orphaning strips the owner reference; once it is gone the collector has nothing to delete them for.
      await eventually(
        async () => {
          const pods = await podsWith(ctx, gcLabels(name));
          assert.equal(pods.length, 2, 'pods kept');
          for (const p of pods) assert.equal(ownerRefsOf(p).length, 0, `${p.metadata.name} still has an owner`);
        },
        { what: 'pods orphaned', signal: ctx.signal },
      );
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.equal((await podsWith(ctx, gcLabels(name))).length, 2, 'orphaned pods survive');
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Garbage collector should keep the rc around until all its pods are deleted if the deleteOptions says so [Conformance]',
    area: 'apimachinery',
    needs: ['gc', 'rc-controller', 'kubelet-sim'],
    async run(ctx) {
      const name = 'simpletest.rc';
      const rcs = ctx.client.resource(resources.replicationControllers);
      await rcs.create(gcRc(ctx, name, 5, 5));
      await waitForPodCount(ctx, gcLabels(name), 5, 'rc created its pods');
      await rcs.delete(name, ctx.namespace, { propagationPolicy: 'Foreground' });
      const waiting = await rcs.get(name, ctx.namespace);
      assert.ok(waiting.metadata.deletionTimestamp, 'rc is being deleted');
      assert.ok(waiting.metadata.finalizers?.includes('foregroundDeletion'), 'rc carries foregroundDeletion');
      await eventually(
        async () => {
          try {
            await rcs.get(name, ctx.namespace);
          } catch (err) {
            if (isStatusError(err) && err.status.code === 404) {
              assert.equal((await podsWith(ctx, gcLabels(name))).length, 0, 'rc deleted before its pods');
              return;
            }
            throw err;
          }
          throw new Error('rc still present');
        },
        { what: 'rc deleted after its pods', signal: ctx.signal, timeoutMs: 45_000 },
      );
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Garbage collector should orphan RS created by deployment when deleteOptions.PropagationPolicy is Orphan [Conformance]',
    area: 'apimachinery',
    needs: ['gc', 'deployment-controller', 'replicaset-controller'],
    async run(ctx) {
      const ns = ctx.namespace;
      const labels = gcLabels('simpletest-deployment');
      const deployments = ctx.client.resource(resources.deployments);
      const rss = ctx.client.resource(resources.replicaSets);
      await deployments.create(
        workload('Deployment', 'simpletest.deployment', { namespace: ns, replicas: 2, selector: labels }),
      );
      await eventually(async () => assert.equal((await rss.list({ namespace: ns })).items.length, 1), {
        what: 'deployment created a ReplicaSet',
        signal: ctx.signal,
      });
      await deployments.delete('simpletest.deployment', ns, { propagationPolicy: 'Orphan' });
      await eventually(() => expectNotFound(deployments.get('simpletest.deployment', ns)), {
        what: 'deployment deleted',
        signal: ctx.signal,
      });
      await eventually(
        async () => {
          const list = await rss.list({ namespace: ns });
          assert.equal(list.items.length, 1, 'ReplicaSet kept');
          assert.equal(ownerRefsOf(list.items[0] as KubeObject).length, 0, 'ReplicaSet orphaned');
        },
        { what: 'ReplicaSet orphaned', signal: ctx.signal },
      );
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.equal((await rss.list({ namespace: ns })).items.length, 1, 'orphaned ReplicaSet survives');
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] Garbage collector should not be blocked by dependency circle [Conformance]',
    area: 'apimachinery',
    needs: ['gc', 'patch'],
    async run(ctx) {
      const ns = ctx.namespace;
      const pods = ctx.client.resource(resources.pods);
      const [p1, p2, p3] = await Promise.all(
        ['pod1', 'pod2', 'pod3'].map((n) => pods.create(pod(n, { namespace: ns }))),
      );
      assert.ok(p1 && p2 && p3, 'three pods created');
      const own = (dependent: KubeObject, owner: KubeObject) =>
        pods.patch(dependent.metadata.name ?? '', ns, 'merge', {
          metadata: { ownerReferences: [ownerRefTo(owner, { controller: true, blockOwnerDeletion: true })] },
        });
      await own(p1, p3);
      await own(p2, p1);
      await own(p3, p2);
      await pods.delete('pod1', ns, { gracePeriodSeconds: 0 });
      await eventually(
        async () => {
          const left = (await pods.list({ namespace: ns })).items.map((p) => p.metadata.name);
          assert.deepEqual(left, [], `pods left: ${left.join(',')}`);
        },
        { what: 'the whole circle collected', signal: ctx.signal, timeoutMs: 45_000 },
      );
    },
  }),
  conformanceTest({
    codename:
      "[sig-api-machinery] Garbage collector should not delete dependents that have both valid owner and owner that's waiting for dependents to be deleted [Conformance]",
    area: 'apimachinery',
    needs: ['gc', 'rc-controller', 'patch'],
    timeoutMs: 90_000,
    async run(ctx) {
      const ns = ctx.namespace;
      const rcs = ctx.client.resource(resources.replicationControllers);
      const pods = ctx.client.resource(resources.pods);
      const toDelete = await rcs.create(gcRc(ctx, 'simpletest-rc-to-be-deleted', 6, 2));
      const stays = await rcs.create(gcRc(ctx, 'simpletest-rc-to-stay', 0));
      const created = await waitForPodCount(ctx, gcLabels('simpletest-rc-to-be-deleted'), 6, 'rc created its pods');
      const half = created.slice(0, 3).map((p) => p.metadata.name ?? '');
      for (const name of half) {
        await retryOnConflict(async () => {
          const p = await pods.get(name, ns);
          (p.metadata as { ownerReferences?: unknown[] }).ownerReferences = [...ownerRefsOf(p), ownerRefTo(stays)];
          return pods.update(p);
        });
      }
      await rcs.delete(toDelete.metadata.name ?? '', ns, { propagationPolicy: 'Foreground' });
      await eventually(() => expectNotFound(rcs.get(toDelete.metadata.name ?? '', ns)), {
        what: 'rc deleted in the foreground',
        signal: ctx.signal,
        timeoutMs: 60_000,
      });
      const left = await podsWith(ctx, gcLabels('simpletest-rc-to-be-deleted'));
      assert.deepEqual(left.map((p) => p.metadata.name).sort(), [...half].sort(), 'only doubly-owned pods remain');
      for (const p of left) {
        assert.deepEqual(
          ownerRefsOf(p).map((r) => r.uid),
          [stays.metadata.uid],
          'the deleted owner is removed from the survivors',
        );
      }
    },
  }),
];
