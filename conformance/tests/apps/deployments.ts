/** test/e2e/apps/deployment.go: rolling and recreate rollouts, old ReplicaSet cleanup, status endpoints. */
import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { agnhostImage, httpdImage, workload } from '../../helpers/objects.ts';
import { controlledBy } from '../../helpers/owners.ts';
import { openWatch } from '../../helpers/watch.ts';
import { statusOf, waitForAvailable, waitForRunningPods } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

const imageOf = (o: KubeObject) =>
  (o.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]?.image;
const hashOf = (o: KubeObject) => o.metadata.labels?.['pod-template-hash'];
type Conditions = Array<{ type: string; status: string }>;
const conditionsOf = (o: KubeObject) => (statusOf(o).conditions as Conditions | undefined) ?? [];

/** Waits until the deployment's status says every replica is updated and available for its generation. */
async function waitForComplete(ctx: ConformanceContext, name: string, replicas: number) {
  const client = ctx.client.resource(resources.deployments);
  return eventually(
    async () => {
      const d = await client.get(name, ctx.namespace);
      const s = statusOf(d);
      assert.ok((s.observedGeneration as number) >= (d.metadata.generation ?? 0), 'generation observed');
      assert.equal(s.updatedReplicas, replicas, `updatedReplicas ${String(s.updatedReplicas)}`);
      assert.equal(s.availableReplicas, replicas, `availableReplicas ${String(s.availableReplicas)}`);
      assert.equal(s.replicas, replicas, `replicas ${String(s.replicas)}`);
      return d;
    },
    { what: `deployment ${name} complete`, signal: ctx.signal, timeoutMs: 60_000 },
  );
}

const replicaSetsOf = async (ctx: ConformanceContext, owner: KubeObject) =>
  (await ctx.client.resource(resources.replicaSets).list({ namespace: ctx.namespace })).items.filter((rs) =>
    controlledBy(rs, owner),
  );

/** A pre-existing ReplicaSet whose pods a Deployment with the same selector takes over. */
async function createOldReplicaSet(ctx: ConformanceContext, name: string, labels: Record<string, string>) {
  const rss = ctx.client.resource(resources.replicaSets);
  // Labelled like its pods, as upstream's newRS does: a Deployment adopts only ReplicaSets whose own
  // labels match its selector.
  const rs = workload('ReplicaSet', name, {
    namespace: ctx.namespace,
    labels,
    replicas: 1,
    selector: labels,
    image: httpdImage,
  });
  const created = await rss.create(rs);
  await waitForRunningPods(ctx, labels, 1);
  return created;
}

export const deploymentTests = [
  conformanceTest({
    codename: '[sig-apps] Deployment RollingUpdateDeployment should delete old pods and create new ones [Conformance]',
    area: 'apps',
    needs: ['deployment-controller', 'replicaset-controller', 'kubelet-sim'],
    async run(ctx) {
      const labels = { name: 'sample-pod', pod: 'httpd' };
      const old = await createOldReplicaSet(ctx, 'test-rolling-update-controller', labels);
      const d = await ctx.client.resource(resources.deployments).create(
        workload('Deployment', 'test-rolling-update-deployment', {
          namespace: ctx.namespace,
          replicas: 1,
          selector: labels,
          image: agnhostImage,
          spec: { strategy: { type: 'RollingUpdate' } },
        }),
      );
      await waitForComplete(ctx, d.metadata.name ?? '', 1);
      await eventually(
        async () => {
          const owned = await replicaSetsOf(ctx, d);
          assert.equal(owned.length, 2, 'old ReplicaSet adopted and a new one created');
          const oldRs = owned.find((rs) => rs.metadata.uid === old.metadata.uid);
          assert.ok(oldRs, 'old ReplicaSet adopted');
          assert.equal((oldRs.spec as { replicas: number }).replicas, 0, 'old ReplicaSet scaled down');
          const newRs = owned.find((rs) => rs.metadata.uid !== old.metadata.uid);
          assert.ok(newRs && imageOf(newRs) === agnhostImage, 'new ReplicaSet runs the new image');
          assert.ok(newRs.metadata.annotations?.['deployment.kubernetes.io/revision'], 'revision annotation');
        },
        { what: 'ReplicaSets after the rollout', signal: ctx.signal },
      );
    },
  }),
  conformanceTest({
    codename: '[sig-apps] Deployment deployment should delete old replica sets [Conformance]',
    area: 'apps',
    needs: ['deployment-controller', 'replicaset-controller', 'kubelet-sim'],
    async run(ctx) {
      const labels = { name: 'cleanup-pod', pod: 'httpd' };
      await createOldReplicaSet(ctx, 'test-cleanup-controller', labels);
      const d = await ctx.client.resource(resources.deployments).create(
        workload('Deployment', 'test-cleanup-deployment', {
          namespace: ctx.namespace,
          replicas: 1,
          selector: labels,
          image: agnhostImage,
          spec: { revisionHistoryLimit: 0 },
        }),
      );
      await waitForComplete(ctx, 'test-cleanup-deployment', 1);
      await eventually(
        async () => {
          const all = (await ctx.client.resource(resources.replicaSets).list({ namespace: ctx.namespace })).items;
          assert.equal(all.length, 1, `ReplicaSets: ${all.map((r) => r.metadata.name).join(',')}`);
          assert.ok(controlledBy(all[0] as KubeObject, d), 'the remaining ReplicaSet is controlled by the Deployment');
        },
        { what: 'old ReplicaSet deleted', signal: ctx.signal },
      );
    },
  }),
  conformanceTest({
    codename: '[sig-apps] Deployment RecreateDeployment should delete old pods and create new ones [Conformance]',
    area: 'apps',
    needs: ['deployment-controller', 'replicaset-controller', 'watch', 'kubelet-sim'],
    async run(ctx) {
      const ns = ctx.namespace;
      const labels = { name: 'sample-pod-3' };
      const client = ctx.client.resource(resources.deployments);
      await client.create(
        workload('Deployment', 'test-recreate-deployment', {
          namespace: ns,
          replicas: 1,
          selector: labels,
          image: agnhostImage,
          spec: { strategy: { type: 'Recreate' } },
        }),
      );
      const first = await waitForComplete(ctx, 'test-recreate-deployment', 1);
      const [oldPod] = await waitForRunningPods(ctx, labels, 1);
      const oldHash = hashOf(oldPod as KubeObject);
      const pods = ctx.client.resource(resources.pods);
      const podList = await pods.list({ namespace: ns, labelSelector: 'name=sample-pod-3' });
      const watch = await openWatch(
        pods,
        { namespace: ns, labelSelector: 'name=sample-pod-3', resourceVersion: podList.metadata.resourceVersion },
        ctx.signal,
      );
      ctx.defer(async () => watch.close());
      const live = new Set(podList.items.map((p) => p.metadata.name));
      await client.patch('test-recreate-deployment', ns, 'strategic', {
        spec: { template: { spec: { containers: [{ name: 'httpd', image: httpdImage }] } } },
      });
      // Recreate: no pod of the new template may exist while a pod of the old one does.
      await watch.next((e) => {
        const name = e.object.metadata.name;
        if (e.type === 'DELETED') live.delete(name);
        else if (hashOf(e.object) === oldHash) live.add(name);
        else {
          const oldLeft = [...live];
          assert.deepEqual(oldLeft, [], `new pod ${name ?? ''} while old pods ${oldLeft.join(',')} exist`);
          return true;
        }
        return false;
      }, 'a pod of the new template');
      await waitForComplete(ctx, 'test-recreate-deployment', 1);
      assert.notEqual(
        first.metadata.generation,
        (await client.get('test-recreate-deployment', ns)).metadata.generation,
      );
    },
  }),
  conformanceTest({
    codename: '[sig-apps] Deployment should validate Deployment Status endpoints [Conformance]',
    area: 'apps',
    needs: ['deployment-controller', 'status-subresource', 'patch'],
    async run(ctx) {
      const ns = ctx.namespace;
      const client = ctx.client.resource(resources.deployments);
      const name = 'test-deployment';
      const created = await client.create(
        workload('Deployment', name, { namespace: ns, replicas: 1, selector: { 'e2e-test': name } }),
      );
      await waitForAvailable(ctx, () => client.get(name, ns), 1);
      const status = await ctx.api.getJson<KubeObject>(`/apis/apps/v1/namespaces/${ns}/deployments/${name}/status`);
      assert.equal(status.metadata.uid, created.metadata.uid);
      const watch = await openWatch(client, { namespace: ns, fieldSelector: `metadata.name=${name}` }, ctx.signal);
      ctx.defer(async () => watch.close());
      await retryOnConflict(async () => {
        const current = await client.get(name, ns);
        (statusOf(current) as { conditions?: Conditions }).conditions = [
          ...conditionsOf(current),
          { type: 'StatusUpdate', status: 'True' },
        ];
        return client.updateStatus(current);
      });
      await watch.next(
        (e) => e.type === 'MODIFIED' && conditionsOf(e.object).some((c) => c.type === 'StatusUpdate'),
        'status updated',
      );
      await client.patch(
        name,
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
