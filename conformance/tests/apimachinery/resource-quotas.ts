/** test/e2e/apimachinery/resource_quota.go: quota status, usage of each counted kind, scopes, lifecycle. */
import { type ResourceRef, resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectNotFound, expectStatus } from '../../helpers/expect-status.ts';
import { configMap, object, pauseImage, pod, replicationController, secret, workload } from '../../helpers/objects.ts';
import { type ResourceList, resourceQuota, sameQuantity, waitForQuotaUsed } from '../../helpers/quota.ts';
import { watchFromList } from '../../helpers/watch.ts';
import { statusOf } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

/** The limits upstream's quota tests share (storage-class and extended-resource entries left out). */
const testHard: ResourceList = {
  pods: '5',
  services: '10',
  'services.nodeports': '1',
  'services.loadbalancers': '1',
  replicationcontrollers: '10',
  resourcequotas: '1',
  cpu: '1',
  memory: '500Mi',
  configmaps: '10',
  secrets: '10',
  persistentvolumeclaims: '10',
  'requests.storage': '10Gi',
  'ephemeral-storage': '50Gi',
  'count/replicasets.apps': '5',
};

/** Creates test-quota (optionally with overrides) and waits until it counts itself. */
async function createTestQuota(ctx: ConformanceContext, extra: ResourceList = {}) {
  await ctx.client
    .resource(resources.resourceQuotas)
    .create(resourceQuota('test-quota', ctx.namespace, { hard: { ...testHard, ...extra } }));
  await waitForQuotaUsed(ctx, 'test-quota', { resourcequotas: '1' }, 'quota status calculated');
}

/** How many objects a namespace holds once controllers stop adding defaults (upstream waits the same way). */
async function settledCount(ctx: ConformanceContext, list: () => Promise<unknown[]>) {
  let last = -1;
  let stable = 0;
  for (;;) {
    const n = (await list()).length;
    stable = n === last ? stable + 1 : 0;
    last = n;
    if (stable >= 2 || ctx.signal.aborted) return n;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The object-count tests: create one object, see usage rise by one, delete it, see it drop back.
 * `headroom` sets the limit to what the namespace already holds plus one, as upstream does for kinds
 * that controllers create by default (service account tokens, the root CA ConfigMap).
 */
function objectCountTest(
  what: string,
  resource: string,
  ref: ResourceRef,
  make: (name: string, namespace: string) => KubeObject,
  headroom = false,
) {
  return conformanceTest({
    codename: `[sig-api-machinery] ResourceQuota should create a ResourceQuota and capture the life of ${what}. [Conformance]`,
    area: 'apimachinery',
    needs: ['resource-quota'],
    async run(ctx) {
      const client = ctx.client.resource(ref);
      const list = async () => (await client.list({ namespace: ctx.namespace })).items;
      const before = await settledCount(ctx, list);
      await createTestQuota(ctx, headroom ? { [resource]: String(before + 1) } : {});
      await waitForQuotaUsed(ctx, 'test-quota', { [resource]: String(before) }, `${resource} counted`);
      const made = await client.create(make(`test-${ref.plural.slice(0, 20)}`, ctx.namespace));
      await waitForQuotaUsed(ctx, 'test-quota', { [resource]: String(before + 1) }, `${resource} captured`);
      await client.delete(made.metadata.name ?? '', ctx.namespace);
      await waitForQuotaUsed(ctx, 'test-quota', { [resource]: String(before) }, `${resource} released`);
    },
  });
}

const objectCountTests = [
  objectCountTest(
    'a secret',
    'secrets',
    resources.secrets,
    (name, namespace) => secret(name, { namespace, data: { 'data-1': 'value-1\n', 'data-2': 'value-2\n' } }),
    true,
  ),
  objectCountTest(
    'a configMap',
    'configmaps',
    resources.configMaps,
    (name, namespace) => configMap(name, { namespace, data: { a: 'b' } }),
    true,
  ),
  objectCountTest(
    'a replication controller',
    'replicationcontrollers',
    resources.replicationControllers,
    (name, namespace) => replicationController(name, { namespace, replicas: 0, selector: { name } }),
  ),
  objectCountTest('a replica set', 'count/replicasets.apps', resources.replicaSets, (name, namespace) =>
    workload('ReplicaSet', name, { namespace, replicas: 0, selector: { name } }),
  ),
];

/** A pod kept off every node (upstream's quota pods are unschedulable so they disturb nothing). */
function quotaPod(name: string, namespace: string, requirements: Record<string, ResourceList>, extra = {}): KubeObject {
  return pod(name, {
    namespace,
    spec: {
      nodeSelector: { 'x-test.k8s.io/unsatisfiable': 'not-schedulable' },
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'pause', image: pauseImage, resources: requirements }],
      ...extra,
    },
  });
}

/** Two scoped quotas; a pod of each class is charged to its own quota only, and released on delete. */
async function verifyScopes(
  ctx: ConformanceContext,
  scopes: [string, string],
  hard: ResourceList,
  pods: [{ pod: KubeObject; used: ResourceList }, { pod: KubeObject; used: ResourceList }],
) {
  const quotas = ctx.client.resource(resources.resourceQuotas);
  const podClient = ctx.client.resource(resources.pods);
  const names = scopes.map((s) => `quota-${s.toLowerCase()}`) as [string, string];
  const zero = Object.fromEntries(Object.keys(hard).map((k) => [k, '0']));
  for (const [i, scope] of scopes.entries()) {
    await quotas.create(resourceQuota(names[i] as string, ctx.namespace, { hard, scopes: [scope] }));
    await waitForQuotaUsed(ctx, names[i] as string, { pods: '0' }, `${scope} quota calculated`);
  }
  for (const [i, { pod: p, used }] of pods.entries()) {
    const own = names[i] as string;
    const other = names[1 - i] as string;
    await podClient.create(p);
    await waitForQuotaUsed(ctx, own, used, `${own} charges ${p.metadata.name}`);
    await waitForQuotaUsed(ctx, other, zero, `${other} ignores ${p.metadata.name}`);
    await podClient.delete(p.metadata.name ?? '', ctx.namespace, { gracePeriodSeconds: 0 });
    await waitForQuotaUsed(ctx, own, zero, `${own} releases ${p.metadata.name}`);
  }
}

export const resourceQuotaTests = [
  conformanceTest({
    codename:
      '[sig-api-machinery] ResourceQuota should create a ResourceQuota and ensure its status is promptly calculated. [Conformance]',
    area: 'apimachinery',
    needs: ['resource-quota'],
    async run(ctx) {
      await createTestQuota(ctx);
      const quota = await ctx.client.resource(resources.resourceQuotas).get('test-quota', ctx.namespace);
      const hard = (statusOf(quota).hard ?? {}) as ResourceList;
      for (const [k, v] of Object.entries(testHard)) assert.ok(sameQuantity(hard[k], v), `status.hard[${k}] = ${v}`);
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] ResourceQuota should create a ResourceQuota and capture the life of a service. [Conformance]',
    area: 'apimachinery',
    needs: ['resource-quota', 'service-ipalloc'],
    async run(ctx) {
      const ns = ctx.namespace;
      await createTestQuota(ctx);
      const services = ctx.client.resource(resources.services);
      const svc = (name: string, type: string, extra: Record<string, unknown> = {}) =>
        object(
          'v1',
          'Service',
          name,
          { namespace: ns },
          { spec: { type, ports: [{ port: 80, targetPort: 80 }], ...extra } },
        );
      await services.create(svc('test-service', 'ClusterIP'));
      await services.create(svc('test-service-np', 'NodePort'));
      // The one node port the quota allows is taken, so a load balancer that wants node ports is refused.
      await expectStatus(
        services.create(svc('test-service-lb', 'LoadBalancer', { allocateLoadBalancerNodePorts: true })),
        403,
        'exceeded quota',
      );
      await waitForQuotaUsed(ctx, 'test-quota', { resourcequotas: '1', services: '2', 'services.nodeports': '1' });
      await services.delete('test-service', ns);
      await services.delete('test-service-np', ns);
      await waitForQuotaUsed(ctx, 'test-quota', { services: '0', 'services.nodeports': '0' }, 'services released');
    },
  }),
  ...objectCountTests,
  conformanceTest({
    codename: '[sig-api-machinery] ResourceQuota should manage the lifecycle of a ResourceQuota [Conformance]',
    area: 'apimachinery',
    needs: ['resource-quota', 'label-selector', 'patch', 'deletecollection'],
    async run(ctx) {
      const quotas = ctx.client.resource(resources.resourceQuotas);
      const name = ctx.uniqueName('e2e-quota');
      const selector = `e2e-rq-label=${name}`;
      await quotas.create(
        resourceQuota(name, ctx.namespace, { hard: { cpu: '1', memory: '500Mi' } }, { 'e2e-rq-label': name }),
      );
      const fetched = await quotas.get(name, ctx.namespace);
      const hard = (fetched.spec as { hard: ResourceList }).hard;
      assert.ok(sameQuantity(hard.cpu, '1') && sameQuantity(hard.memory, '500Mi'), 'spec.hard as created');
      const listed = await quotas.list({ labelSelector: selector });
      assert.equal(listed.items.length, 1, 'a cluster-wide list by label finds the quota');
      const patched = await quotas.patch(name, ctx.namespace, 'strategic', {
        metadata: { labels: { [name]: 'patched' } },
        spec: { hard: { memory: '750Mi' } },
      });
      assert.equal(patched.metadata.labels?.[name], 'patched');
      const patchedHard = (patched.spec as { hard: ResourceList }).hard;
      assert.ok(sameQuantity(patchedHard.memory, '750Mi'), `hard memory patched to 750Mi, got ${patchedHard.memory}`);
      assert.ok(sameQuantity(patchedHard.cpu, '1'), 'a strategic patch keeps hard cpu');
      await quotas.deleteCollection({ namespace: ctx.namespace, labelSelector: selector });
      await expectNotFound(quotas.get(name, ctx.namespace));
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] ResourceQuota should apply changes to a resourcequota status [Conformance]',
    area: 'apimachinery',
    needs: ['resource-quota', 'status-subresource', 'patch'],
    timeoutMs: 150_000,
    async run(ctx) {
      const ns = ctx.namespace;
      const quotas = ctx.client.resource(resources.resourceQuotas);
      const name = ctx.uniqueName('e2e-rq-status');
      const selector = `e2e-rq-label=${name}`;
      const hardOf = (o: KubeObject) => (statusOf(o).hard ?? {}) as ResourceList;
      const hardIs = (o: KubeObject, cpu: string, memory: string) =>
        sameQuantity(hardOf(o).cpu, cpu) && sameQuantity(hardOf(o).memory, memory);
      const { watch } = await watchFromList(ctx, quotas, { namespace: ns, labelSelector: selector });
      await quotas.create(
        resourceQuota(name, ns, { hard: { cpu: '500m', memory: '500Mi' } }, { 'e2e-rq-label': name }),
      );

      await retryOnConflict(async () => {
        const current = await quotas.get(name, ns);
        current.status = { hard: { cpu: '500m', memory: '500Mi' } };
        return quotas.updateStatus(current);
      });
      await watch.next(
        (e) => e.object.metadata.name === name && hardIs(e.object, '500m', '500Mi'),
        'status.hard updated',
      );

      const spec = await quotas.patch(name, ns, 'strategic', { spec: { hard: { cpu: '1', memory: '1Gi' } } });
      assert.ok(sameQuantity((spec.spec as { hard: ResourceList }).hard.cpu, '1'), 'spec.hard.cpu patched to 1');
      await quotas.patch(
        name,
        ns,
        'strategic',
        { status: { hard: { cpu: '1', memory: '1Gi' } } },
        { subresource: 'status' },
      );
      await watch.next((e) => e.object.metadata.name === name && hardIs(e.object, '1', '1Gi'), 'status.hard patched');
      const status = await ctx.api.getJson<KubeObject>(`/api/v1/namespaces/${ns}/resourcequotas/${name}/status`);
      assert.ok(
        hardIs(status, '1', '1Gi'),
        `GET /status reports hard cpu 1 and memory 1Gi: ${JSON.stringify(hardOf(status))}`,
      );

      const repatched = await quotas.patch(
        name,
        ns,
        'strategic',
        { status: { hard: { cpu: '2', memory: '2Gi' } } },
        { subresource: 'status' },
      );
      assert.ok(hardIs(repatched, '2', '2Gi'), 'status.hard repatched to cpu 2, memory 2Gi');
      const afterStatus = (repatched.spec as { hard: ResourceList }).hard;
      assert.ok(
        sameQuantity(afterStatus.cpu, '1') && sameQuantity(afterStatus.memory, '1Gi'),
        'a /status patch leaves spec alone',
      );
      // The quota controller puts status.hard back to spec.hard on its next sync.
      await eventually(
        async () => assert.ok(hardIs(await quotas.get(name, ns), '1', '1Gi'), 'status.hard reconciled to spec'),
        {
          what: 'status.hard reconciled to spec.hard',
          signal: ctx.signal,
          timeoutMs: 120_000,
        },
      );
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] ResourceQuota should verify ResourceQuota with best effort scope. [Conformance]',
    area: 'apimachinery',
    needs: ['resource-quota'],
    async run(ctx) {
      const ns = ctx.namespace;
      const requirements = { requests: { cpu: '500m', memory: '200Mi' }, limits: { cpu: '1', memory: '400Mi' } };
      await verifyScopes(ctx, ['BestEffort', 'NotBestEffort'], { pods: '5' }, [
        { pod: quotaPod('test-pod', ns, {}), used: { pods: '1' } },
        { pod: quotaPod('test-pod-2', ns, requirements), used: { pods: '1' } },
      ]);
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] ResourceQuota should verify ResourceQuota with terminating scopes. [Conformance]',
    area: 'apimachinery',
    needs: ['resource-quota'],
    async run(ctx) {
      const ns = ctx.namespace;
      const hard = {
        pods: '5',
        'requests.cpu': '1',
        'requests.memory': '500Mi',
        'limits.cpu': '2',
        'limits.memory': '1Gi',
      };
      const requirements = { requests: { cpu: '500m', memory: '200Mi' }, limits: { cpu: '1', memory: '400Mi' } };
      const used = {
        pods: '1',
        'requests.cpu': '500m',
        'requests.memory': '200Mi',
        'limits.cpu': '1',
        'limits.memory': '400Mi',
      };
      await verifyScopes(ctx, ['NotTerminating', 'Terminating'], hard, [
        { pod: quotaPod('test-pod', ns, requirements), used },
        { pod: quotaPod('terminating-pod', ns, requirements, { activeDeadlineSeconds: 3600 }), used },
      ]);
    },
  }),
];
