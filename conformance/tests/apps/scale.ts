/** Scale subresource tests of deployment.go, replica_set.go and rc.go. */
import type { ResourceRef } from '../../../src/client/index.ts';
import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import assert from '../../helpers/assert.ts';
import { replicationController, workload } from '../../helpers/objects.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

async function exerciseScale(ctx: ConformanceContext, ref: ResourceRef, body: KubeObject) {
  const client = ctx.client.resource(ref);
  const name = body.metadata.name ?? '';
  await client.create(body);
  const scalePath = (g: string) => `${g}/namespaces/${ctx.namespace}/${ref.plural}/${name}/scale`;
  const base = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  const scale = await ctx.api.getJson<{
    kind: string;
    metadata: { resourceVersion?: string };
    spec: { replicas: number };
    status: { replicas: number };
  }>(scalePath(base));
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.spec.replicas, 1);
  const put = await ctx.api.request({
    method: 'PUT',
    path: scalePath(base),
    // Upstream clears resourceVersion: the scale update is unconditional, so a controller's status write
    // between the GET and the PUT must not turn it into a 409.
    body: { ...scale, metadata: { ...scale.metadata, resourceVersion: undefined }, spec: { replicas: 2 } },
  });
  assert.equal(put.status, 200, `PUT scale: HTTP ${put.status} ${put.text.slice(0, 200)}`);
  await eventually(
    async () => assert.equal(((await client.get(name, ctx.namespace)).spec as { replicas: number }).replicas, 2),
    {
      what: 'spec.replicas follows scale',
      signal: ctx.signal,
    },
  );
  const patched = await client.patch(name, ctx.namespace, 'merge', { spec: { replicas: 4 } }, { subresource: 'scale' });
  assert.equal((patched.spec as { replicas: number }).replicas, 4);
  assert.equal(((await client.get(name, ctx.namespace)).spec as { replicas: number }).replicas, 4);
}

export const scaleTests = [
  conformanceTest({
    codename: '[sig-apps] Deployment Deployment should have a working scale subresource [Conformance]',
    area: 'apps',
    needs: ['deployment-controller', 'scale-subresource', 'kubelet-sim'],
    run: (ctx) =>
      exerciseScale(
        ctx,
        resources.deployments,
        workload('Deployment', 'test-new-deployment', { namespace: ctx.namespace, selector: { name: 'httpd' } }),
      ),
  }),
  conformanceTest({
    codename: '[sig-apps] ReplicaSet Replicaset should have a working scale subresource [Conformance]',
    area: 'apps',
    needs: ['replicaset-controller', 'scale-subresource', 'kubelet-sim'],
    run: (ctx) =>
      exerciseScale(
        ctx,
        resources.replicaSets,
        workload('ReplicaSet', 'test-rs', { namespace: ctx.namespace, selector: { name: 'sample-pod' } }),
      ),
  }),
  conformanceTest({
    codename: '[sig-apps] ReplicationController should get and update a ReplicationController scale [Conformance]',
    area: 'apps',
    needs: ['rc-controller', 'scale-subresource'],
    run: (ctx) =>
      exerciseScale(
        ctx,
        resources.replicationControllers,
        replicationController('rc-test', { namespace: ctx.namespace, selector: { name: 'rc-test' } }),
      ),
  }),
  conformanceTest({
    codename:
      '[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] should have a working scale subresource [Conformance]',
    area: 'apps',
    needs: ['statefulset-controller', 'scale-subresource', 'kubelet-sim'],
    run: (ctx) =>
      exerciseScale(
        ctx,
        resources.statefulSets,
        workload('StatefulSet', 'ss', { namespace: ctx.namespace, selector: { baz: 'blah' } }),
      ),
  }),
];
