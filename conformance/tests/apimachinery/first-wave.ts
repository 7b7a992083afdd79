/** The apimachinery tests of the first wave: chunking, GC of a Deployment's RS, quota of a pod, namespace deletion (pods, services). */
import { resources } from '../../../src/client/index.ts';
import { eventually } from '../../eventually.ts';
import assert from '../../helpers/assert.ts';
import { expectNotFound, expectStatus } from '../../helpers/expect-status.ts';
import { object, pod, podTemplate, workload } from '../../helpers/objects.ts';
import { statusOf } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

const podTemplates = { group: '', version: 'v1', kind: 'PodTemplate', plural: 'podtemplates', namespaced: true };

export const apimachineryFirstWaveTests = [
  conformanceTest({
    codename:
      '[sig-api-machinery] Servers with support for API chunking should return chunks of results for list calls [Conformance]',
    area: 'apimachinery',
    needs: ['list-pagination'],
    timeoutMs: 120_000,
    async run(ctx) {
      const client = ctx.client.resource(podTemplates);
      const total = 400;
      const names = Array.from({ length: total }, (_, i) => `template-${String(i).padStart(4, '0')}`);
      for (let i = 0; i < total; i += 20) {
        await Promise.all(
          names
            .slice(i, i + 20)
            .map((name) =>
              client.create(
                object('v1', 'PodTemplate', name, { namespace: ctx.namespace }, { template: podTemplate({ name }) }),
              ),
            ),
        );
      }
      const seen: string[] = [];
      let token: string | undefined;
      let listVersion: string | undefined;
      const limit = 17;
      for (;;) {
        const page = await client.list({ namespace: ctx.namespace, limit, ...(token ? { continue: token } : {}) });
        if (listVersion)
          assert.equal(
            page.metadata.resourceVersion,
            listVersion,
            "every page is read at the first page's resourceVersion",
          );
        listVersion = page.metadata.resourceVersion;
        seen.push(...page.items.map((p) => p.metadata.name ?? ''));
        token = page.metadata.continue;
        if (!token) {
          assert.ok(page.items.length <= limit, 'last page holds at most limit items');
          assert.equal(page.metadata.remainingItemCount, undefined, 'last page has no remainingItemCount');
          break;
        }
        assert.equal(page.items.length, limit, 'a full page before the last');
        assert.equal(page.metadata.remainingItemCount, total - seen.length, 'remainingItemCount');
      }
      assert.deepEqual(seen, names, 'pages cover every item once, in key order');
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Garbage collector should delete RS created by deployment when not orphaning [Conformance]',
    area: 'apimachinery',
    needs: ['gc', 'deployment-controller', 'replicaset-controller'],
    async run(ctx) {
      const ns = ctx.namespace;
      const deployments = ctx.client.resource(resources.deployments);
      const replicaSets = ctx.client.resource(resources.replicaSets);
      await deployments.create(
        workload('Deployment', 'simpletest-deployment', { namespace: ns, replicas: 2, selector: { app: 'gc-test' } }),
      );
      await eventually(
        async () => assert.ok((await replicaSets.list({ namespace: ns })).items.length >= 1, 'RS created'),
        { what: 'RS created', signal: ctx.signal },
      );
      await deployments.delete('simpletest-deployment', ns, { propagationPolicy: 'Background' });
      await eventually(
        async () => {
          assert.equal((await deployments.list({ namespace: ns })).items.length, 0, 'deployment gone');
          assert.equal((await replicaSets.list({ namespace: ns })).items.length, 0, 'replica sets collected');
          const pods = await ctx.client.resource(resources.pods).list({ namespace: ns });
          assert.equal(pods.items.length, 0, 'pods collected');
        },
        { what: 'dependents collected', signal: ctx.signal },
      );
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] ResourceQuota should create a ResourceQuota and capture the life of a pod. [Conformance]',
    area: 'apimachinery',
    needs: ['resource-quota', 'crud'],
    async run(ctx) {
      const ns = ctx.namespace;
      const quotas = ctx.client.resource(resources.resourceQuotas);
      const pods = ctx.client.resource(resources.pods);
      const hard = {
        pods: '5',
        'requests.cpu': '1',
        'requests.memory': '500Mi',
        'limits.cpu': '2',
        'limits.memory': '1Gi',
      };
      await quotas.create(object('v1', 'ResourceQuota', 'test-quota', { namespace: ns }, { spec: { hard } }));
      const used = async () => (statusOf(await quotas.get('test-quota', ns)).used ?? {}) as Record<string, string>;
      await eventually(async () => assert.equal((await used()).pods, '0'), {
        what: 'quota status calculated',
        signal: ctx.signal,
      });
      const resourcesFor = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { cpu, memory } });
      const withResources = (name: string, cpu: string, memory: string) =>
        pod(name, {
          namespace: ns,
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: resourcesFor(cpu, memory) }],
          },
        });
      await pods.create(withResources('test-pod', '500m', '252Mi'));
      await eventually(
        async () => {
          const u = await used();
          assert.equal(u.pods, '1');
          assert.equal(u['requests.cpu'], '500m');
          assert.equal(u['requests.memory'], '252Mi');
        },
        { what: 'quota captures the pod', signal: ctx.signal },
      );
      await expectStatus(pods.create(withResources('fail-pod', '600m', '100Mi')), 403, 'exceeded quota');
      await pods.delete('test-pod', ns, { gracePeriodSeconds: 0 });
      await eventually(async () => assert.equal((await used()).pods, '0'), {
        what: 'quota released',
        signal: ctx.signal,
      });
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Namespaces [Serial] should ensure that all pods are removed when a namespace is deleted [Conformance]',
    area: 'apimachinery',
    needs: ['namespace-lifecycle', 'kubelet-sim', 'scheduler'],
    timeoutMs: 120_000,
    async run(ctx) {
      const pods = ctx.client.resource(resources.pods);
      await expectContentsRemovedWithNamespace(ctx, 'pods', {
        async fill(ns) {
          await pods.create(pod('test-pod', { namespace: ns }));
          await eventually(
            async () => assert.equal((statusOf(await pods.get('test-pod', ns)) as { phase?: string }).phase, 'Running'),
            { what: 'pod running', signal: ctx.signal },
          );
        },
        count: async (ns) => (await pods.list({ namespace: ns })).items.length,
      });
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Namespaces [Serial] should ensure that all services are removed when a namespace is deleted [Conformance]',
    area: 'apimachinery',
    needs: ['namespace-lifecycle', 'service-ipalloc'],
    timeoutMs: 120_000,
    async run(ctx) {
      const services = ctx.client.resource(resources.services);
      await expectContentsRemovedWithNamespace(ctx, 'services', {
        async fill(ns) {
          await services.create(
            object(
              'v1',
              'Service',
              'test-service',
              { namespace: ns },
              { spec: { selector: { foo: 'bar', baz: 'blah' }, ports: [{ port: 80, targetPort: 80 }] } },
            ),
          );
        },
        count: async (ns) => (await services.list({ namespace: ns })).items.length,
      });
    },
  }),
];

/**
 * A fresh namespace filled by `fill`, deleted until it is gone, then created again under the same
 * name: nothing of what it held may come back with it.
 */
async function expectContentsRemovedWithNamespace(
  ctx: ConformanceContext,
  what: string,
  o: { fill(ns: string): Promise<void>; count(ns: string): Promise<number> },
) {
  const namespaces = ctx.client.resource(resources.namespaces);
  const created = await namespaces.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { generateName: 'nsdeletetest-' },
  });
  const ns = created.metadata.name ?? '';
  ctx.defer(() => namespaces.delete(ns));
  await o.fill(ns);
  await namespaces.delete(ns);
  await eventually(() => expectNotFound(namespaces.get(ns)), {
    what: 'namespace removed',
    signal: ctx.signal,
    timeoutMs: 90_000,
  });
  const recreated = await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  assert.equal(recreated.metadata.name, ns);
  assert.equal(await o.count(ns), 0, `no ${what} in the recreated namespace`);
}
