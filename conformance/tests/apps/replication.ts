/** test/e2e/apps/replica_set.go and rc.go: adoption, release, collections, status and lifecycles. */
import type { ResourceRef } from '../../../src/client/index.ts';
import { resources } from '../../../src/client/index.ts';
import { isStatusError } from '../../../src/status.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectNotFound } from '../../helpers/expect-status.ts';
import { object, pod, replicationController, workload } from '../../helpers/objects.ts';
import { controlledBy } from '../../helpers/owners.ts';
import { openWatch } from '../../helpers/watch.ts';
import { selectorOf, statusOf, waitForAvailable, waitForRunningPods } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

type Conditions = Array<{ type: string; status: string; reason?: string }>;
const conditionsOf = (o: KubeObject) => (statusOf(o).conditions as Conditions | undefined) ?? [];

/** A bare pod with `labels` is adopted by a controller created afterwards with a matching selector. */
async function expectAdopted(ctx: ConformanceContext, ref: ResourceRef, owner: KubeObject, podName: string) {
  const pods = ctx.client.resource(resources.pods);
  const created = await ctx.client.resource(ref).create(owner);
  await eventually(
    async () => {
      try {
        const p = await pods.get(podName, ctx.namespace);
        assert.ok(controlledBy(p, created), `${podName} not yet adopted by ${ref.kind}`);
      } catch (err) {
        // Upstream accepts "deleted and replaced" as well as adoption.
        if (!(isStatusError(err) && err.status.code === 404)) throw err;
      }
    },
    { what: 'orphan adopted', signal: ctx.signal },
  );
  return created;
}

/** Relabels one owned pod so the selector no longer matches and waits for the owner to let it go. */
async function expectReleased(ctx: ConformanceContext, owner: KubeObject, labels: Record<string, string>) {
  const pods = ctx.client.resource(resources.pods);
  const [owned] = await waitForRunningPods(ctx, labels, 1);
  assert.ok(owned, 'a pod owned by the controller');
  const name = owned.metadata.name ?? '';
  await retryOnConflict(async () => {
    const p = await pods.get(name, ctx.namespace);
    p.metadata.labels = { name: 'not-matching-name' };
    return pods.update(p);
  });
  await eventually(async () => assert.ok(!controlledBy(await pods.get(name, ctx.namespace), owner), 'released'), {
    what: 'pod released',
    signal: ctx.signal,
  });
}

const replicasOf = (o: KubeObject) => (o.spec as { replicas?: number }).replicas;

export const replicationTests = [
  conformanceTest({
    codename:
      '[sig-apps] ReplicaSet should adopt matching pods on creation and release no longer matching pods [Conformance]',
    area: 'apps',
    needs: ['replicaset-controller', 'kubelet-sim'],
    async run(ctx) {
      const name = 'pod-adoption-release';
      const labels = { name };
      await ctx.client.resource(resources.pods).create(pod(name, { namespace: ctx.namespace, labels }));
      await waitForRunningPods(ctx, labels, 1);
      const rs = workload('ReplicaSet', name, { namespace: ctx.namespace, replicas: 1, selector: labels });
      const created = await expectAdopted(ctx, resources.replicaSets, rs, name);
      await expectReleased(ctx, created, labels);
    },
  }),
  conformanceTest({
    codename: '[sig-apps] ReplicationController should adopt matching pods on creation [Conformance]',
    area: 'apps',
    needs: ['rc-controller', 'kubelet-sim'],
    async run(ctx) {
      const name = 'pod-adoption';
      const labels = { name };
      await ctx.client.resource(resources.pods).create(pod(name, { namespace: ctx.namespace, labels }));
      await waitForRunningPods(ctx, labels, 1);
      const rc = replicationController(name, { namespace: ctx.namespace, replicas: 1, selector: labels });
      await expectAdopted(ctx, resources.replicationControllers, rc, name);
    },
  }),
  conformanceTest({
    codename: '[sig-apps] ReplicationController should release no longer matching pods [Conformance]',
    area: 'apps',
    needs: ['rc-controller', 'kubelet-sim'],
    async run(ctx) {
      const labels = { name: 'pod-release' };
      const rc = await ctx.client
        .resource(resources.replicationControllers)
        .create(replicationController('pod-release', { namespace: ctx.namespace, replicas: 1, selector: labels }));
      await expectReleased(ctx, rc, labels);
    },
  }),
  conformanceTest({
    codename: '[sig-apps] ReplicaSet should list and delete a collection of ReplicaSets [Conformance]',
    area: 'apps',
    needs: ['replicaset-controller', 'label-selector', 'deletecollection'],
    async run(ctx) {
      const client = ctx.client.resource(resources.replicaSets);
      const ns = ctx.namespace;
      const labels = { name: 'sample-pod', pod: 'httpd' };
      const rsLabels = { 'e2e-rs-label': 'e2e-rs' };
      await client.create(
        workload('ReplicaSet', 'test-rs', { namespace: ns, labels: rsLabels, replicas: 3, selector: labels }),
      );
      await waitForRunningPods(ctx, labels, 3);
      await waitForAvailable(ctx, () => client.get('test-rs', ns), 3);
      const listed = await client.list({ labelSelector: selectorOf(rsLabels) });
      assert.ok(
        listed.items.some((r) => r.metadata.namespace === ns && r.metadata.name === 'test-rs'),
        'list across namespaces includes test-rs',
      );
      await client.deleteCollection({ namespace: ns, labelSelector: selectorOf(rsLabels) });
      await eventually(
        async () =>
          assert.equal((await client.list({ namespace: ns, labelSelector: selectorOf(rsLabels) })).items.length, 0),
        { what: 'ReplicaSets deleted', signal: ctx.signal },
      );
    },
  }),
  conformanceTest({
    codename: '[sig-apps] ReplicaSet should validate Replicaset Status endpoints [Conformance]',
    area: 'apps',
    needs: ['status-subresource', 'patch', 'watch'],
    async run(ctx) {
      const client = ctx.client.resource(resources.replicaSets);
      const ns = ctx.namespace;
      const labels = { name: 'sample-pod', pod: 'httpd' };
      const created = await client.create(
        workload('ReplicaSet', 'test-rs', { namespace: ns, replicas: 1, selector: labels }),
      );
      await waitForAvailable(ctx, () => client.get('test-rs', ns), 1);
      const status = await ctx.api.getJson<KubeObject>(`/apis/apps/v1/namespaces/${ns}/replicasets/test-rs/status`);
      assert.equal(status.metadata.uid, created.metadata.uid);
      const watch = await openWatch(client, { namespace: ns, fieldSelector: 'metadata.name=test-rs' }, ctx.signal);
      ctx.defer(async () => watch.close());
      await retryOnConflict(async () => {
        const current = await client.get('test-rs', ns);
        (statusOf(current) as { conditions?: Conditions }).conditions = [
          ...conditionsOf(current),
          { type: 'StatusUpdate', status: 'True', reason: 'E2E' },
        ];
        return client.updateStatus(current);
      });
      await watch.next(
        (e) => e.type === 'MODIFIED' && conditionsOf(e.object).some((c) => c.type === 'StatusUpdate'),
        'updated status condition',
      );
      await client.patch(
        'test-rs',
        ns,
        'strategic',
        {
          metadata: { annotations: { patchedstatus: 'true' } },
          status: { conditions: [{ type: 'StatusPatched', status: 'True' }] },
        },
        { subresource: 'status' },
      );
      await watch.next(
        (e) => e.type === 'MODIFIED' && conditionsOf(e.object).some((c) => c.type === 'StatusPatched'),
        'patched status condition',
      );
    },
  }),
  conformanceTest({
    codename: '[sig-apps] ReplicaSet Replace and Patch tests [Conformance]',
    area: 'apps',
    needs: ['replicaset-controller', 'patch', 'kubelet-sim'],
    async run(ctx) {
      const client = ctx.client.resource(resources.replicaSets);
      const ns = ctx.namespace;
      const labels = { name: 'sample-pod', pod: 'httpd' };
      await client.create(workload('ReplicaSet', 'test-rs', { namespace: ns, replicas: 1, selector: labels }));
      await waitForRunningPods(ctx, labels, 1);
      const replaced = await retryOnConflict(async () => {
        const current = await client.get('test-rs', ns);
        (current.spec as { replicas: number }).replicas = 2;
        return client.update(current);
      });
      assert.equal(replicasOf(replaced), 2);
      await waitForAvailable(ctx, () => client.get('test-rs', ns), 2);
      const patched = await client.patch('test-rs', ns, 'strategic', {
        metadata: { labels: { 'test-rs': 'patched' } },
        spec: {
          replicas: 3,
          template: {
            spec: {
              terminationGracePeriodSeconds: 1,
              containers: [{ name: 'httpd', image: 'registry.k8s.io/pause:3.10' }],
            },
          },
        },
      });
      assert.equal(replicasOf(patched), 3);
      assert.equal(patched.metadata.labels?.['test-rs'], 'patched');
      await waitForAvailable(ctx, () => client.get('test-rs', ns), 3);
    },
  }),
  conformanceTest({
    codename: '[sig-apps] ReplicationController should test the lifecycle of a ReplicationController [Conformance]',
    area: 'apps',
    needs: ['rc-controller', 'watch', 'patch', 'status-subresource', 'kubelet-sim'],
    timeoutMs: 90_000,
    async run(ctx) {
      const client = ctx.client.resource(resources.replicationControllers);
      const ns = ctx.namespace;
      const name = 'rc-test';
      const static_ = 'test-rc-static=true';
      const watch = await openWatch(client, { namespace: ns, labelSelector: static_ }, ctx.signal);
      ctx.defer(async () => watch.close());
      const rc = replicationController(name, {
        namespace: ns,
        labels: { 'test-rc-static': 'true' },
        replicas: 1,
        selector: { 'test-rc-static': 'true' },
      });
      await client.create(rc);
      await watch.next((e) => e.type === 'ADDED', 'ADDED');
      await watch.next((e) => e.type === 'MODIFIED' && statusOf(e.object).readyReplicas === 1, 'one ready replica');
      await client.patch(name, ns, 'strategic', { metadata: { labels: { 'test-rc': 'patched' } } });
      await watch.next((e) => e.type === 'MODIFIED' && e.object.metadata.labels?.['test-rc'] === 'patched', 'patched');
      await client.patch(
        name,
        ns,
        'strategic',
        { status: { readyReplicas: 0, availableReplicas: 0 } },
        { subresource: 'status' },
      );
      await watch.next((e) => e.type === 'MODIFIED' && statusOf(e.object).readyReplicas === 0, 'status patched');
      const status = await ctx.api.getJson<KubeObject>(
        `/api/v1/namespaces/${ns}/replicationcontrollers/${name}/status`,
      );
      assert.equal(status.metadata.name, name);
      await client.patch(name, ns, 'merge', { spec: { replicas: 2 } }, { subresource: 'scale' });
      await watch.next((e) => e.type === 'MODIFIED' && statusOf(e.object).readyReplicas === 2, 'two ready replicas');
      await retryOnConflict(async () => {
        const current = await client.get(name, ns);
        current.metadata.labels = { ...current.metadata.labels, 'rc-test': 'updated' };
        return client.update(current);
      });
      await watch.next((e) => e.type === 'MODIFIED' && e.object.metadata.labels?.['rc-test'] === 'updated', 'updated');
      const listed = await client.list({ labelSelector: static_ });
      assert.ok(
        listed.items.some((r) => r.metadata.name === name && r.metadata.namespace === ns),
        'list across namespaces includes the ReplicationController',
      );
      await client.deleteCollection({ namespace: ns, labelSelector: static_ });
      await watch.next((e) => e.type === 'DELETED', 'DELETED');
      await expectNotFound(client.get(name, ns));
    },
  }),
  conformanceTest({
    codename:
      '[sig-apps] ReplicationController should surface a failure condition on a common issue like exceeded quota [Conformance]',
    area: 'apps',
    needs: ['rc-controller', 'resource-quota'],
    async run(ctx) {
      const ns = ctx.namespace;
      const name = 'condition-test';
      const quotas = ctx.client.resource(resources.resourceQuotas);
      await quotas.create(object('v1', 'ResourceQuota', name, { namespace: ns }, { spec: { hard: { pods: '2' } } }));
      await eventually(
        async () =>
          assert.equal((statusOf(await quotas.get(name, ns)).hard as Record<string, string> | undefined)?.pods, '2'),
        { what: 'quota status.hard', signal: ctx.signal },
      );
      const client = ctx.client.resource(resources.replicationControllers);
      await client.create(replicationController(name, { namespace: ns, replicas: 3, selector: { name } }));
      await eventually(
        async () =>
          assert.ok(
            conditionsOf(await client.get(name, ns)).some((c) => c.type === 'ReplicaFailure' && c.status === 'True'),
            'ReplicaFailure is True',
          ),
        { what: 'ReplicaFailure condition', signal: ctx.signal },
      );
      await retryOnConflict(async () => {
        const current = await client.get(name, ns);
        (current.spec as { replicas: number }).replicas = 2;
        return client.update(current);
      });
      await eventually(
        async () => {
          const current = await client.get(name, ns);
          assert.ok(
            (statusOf(current).observedGeneration as number) >= (current.metadata.generation ?? 0),
            'status observed the latest generation',
          );
          assert.ok(!conditionsOf(current).some((c) => c.type === 'ReplicaFailure'), 'ReplicaFailure removed');
        },
        { what: 'ReplicaFailure removed', signal: ctx.signal },
      );
    },
  }),
];
