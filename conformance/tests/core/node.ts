/**
 * sig-node tests of test/e2e/common/node (pods.go, runtimeclass.go, kubelet.go, sysctl.go),
 * test/e2e/node (pods.go QOS class, node_lifecycle.go) and test/e2e/scheduling/limit_range.go.
 */
import { type ResourceRef, resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectNotFound, expectStatus } from '../../helpers/expect-status.ts';
import { agnhostImage, httpdImage, object, pauseImage, pod } from '../../helpers/objects.ts';
import { type ResourceList, sameQuantity } from '../../helpers/quota.ts';
import { eventFor, watchFromList } from '../../helpers/watch.ts';
import { statusOf, waitForRunningPods } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

const runtimeClasses: ResourceRef = {
  group: 'node.k8s.io',
  version: 'v1',
  kind: 'RuntimeClass',
  plural: 'runtimeclasses',
  namespaced: false,
};
const busybox = 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1';

type Condition = { type: string; status: string };
const phaseOf = (p: KubeObject) => (statusOf(p) as { phase?: string }).phase;

/** A cluster-scoped RuntimeClass named after the test namespace, deleted after the test. */
async function createRuntimeClass(ctx: ConformanceContext, suffix: string, handler: string, overhead?: ResourceList) {
  const name = `${ctx.namespace}-${suffix}`;
  const client = ctx.client.resource(runtimeClasses);
  await client.create(
    object(
      'node.k8s.io/v1',
      'RuntimeClass',
      name,
      {},
      { handler, ...(overhead ? { overhead: { podFixed: overhead } } : {}) },
    ),
  );
  ctx.defer(() => client.delete(name).catch(() => undefined));
  return name;
}

function runtimeClassPod(namespace: string, runtimeClassName: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: 'test-runtimeclass-', namespace },
    spec: {
      runtimeClassName,
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      containers: [{ name: 'test', image: busybox, command: ['true'] }],
    },
  };
}

/** Admission must refuse the pod: a server-side dry run answers 403 without creating anything. */
async function expectPodRejection(ctx: ConformanceContext, runtimeClassName: string) {
  const response = await ctx.api.request({
    method: 'POST',
    path: `/api/v1/namespaces/${ctx.namespace}/pods`,
    query: { dryRun: 'All' },
    body: runtimeClassPod(ctx.namespace, runtimeClassName),
  });
  assert.equal(response.status, 403, `pod naming RuntimeClass ${runtimeClassName}: ${response.text.slice(0, 300)}`);
}

/** The one pod of the namespace, once the scheduler has bound it. */
async function waitForScheduledPod(ctx: ConformanceContext) {
  return eventually(
    async () => {
      const list = await ctx.client.resource(resources.pods).list({ namespace: ctx.namespace });
      assert.equal(list.items.length, 1, 'one pod in the namespace');
      const [p] = list.items;
      const conditions = ((p && statusOf(p).conditions) ?? []) as Condition[];
      assert.ok(
        p?.spec &&
          (p.spec as { nodeName?: string }).nodeName &&
          conditions.some((c) => c.type === 'PodScheduled' && c.status === 'True'),
        'pod is scheduled',
      );
      return p as KubeObject;
    },
    { what: 'pod scheduled', signal: ctx.signal },
  );
}

const container = (p: KubeObject, i = 0) =>
  ((p.spec as { containers: Array<{ image?: string; resources?: { requests?: ResourceList; limits?: ResourceList } }> })
    .containers[i] ?? {}) as { image?: string; resources?: { requests?: ResourceList; limits?: ResourceList } };

/** requests and limits equal `want` exactly (no missing or extra entries), by quantity value. */
function assertRequirements(p: KubeObject, want: { requests: ResourceList; limits: ResourceList }) {
  const got = container(p).resources ?? {};
  for (const side of ['requests', 'limits'] as const) {
    const actual = got[side] ?? {};
    const expected = want[side];
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${p.metadata.name} ${side} names`);
    for (const [k, v] of Object.entries(expected))
      assert.ok(sameQuantity(actual[k], v), `${p.metadata.name} ${side}.${k} is ${actual[k]}, want ${v}`);
  }
}

const resourceList = (cpu: string, memory: string, storage: string): ResourceList => ({
  ...(cpu ? { cpu } : {}),
  ...(memory ? { memory } : {}),
  ...(storage ? { 'ephemeral-storage': storage } : {}),
});

function limitedPod(name: string, namespace: string, requests: ResourceList, limits: ResourceList = {}) {
  return pod(name, {
    namespace,
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'pause', image: pauseImage, resources: { requests, limits } }],
    },
  });
}

export const nodeTests = [
  conformanceTest({
    codename: '[sig-node] Pods should be submitted and removed [NodeConformance] [Conformance]',
    area: 'core',
    needs: ['watch', 'kubelet-sim', 'label-selector', 'scheduler'],
    async run(ctx) {
      const pods = ctx.client.resource(resources.pods);
      const value = String(Date.now());
      const selector = `time=${value}`;
      const { list: before, watch } = await watchFromList(ctx, pods, {
        namespace: ctx.namespace,
        labelSelector: selector,
      });
      assert.equal(before.items.length, 0, 'no pod carries the label yet');
      const name = ctx.uniqueName('pod-submit-remove');
      await pods.create(
        pod(name, {
          namespace: ctx.namespace,
          labels: { name: 'foo', time: value },
          spec: { containers: [{ name: 'nginx', image: httpdImage }] },
        }),
      );
      assert.equal((await pods.list({ namespace: ctx.namespace, labelSelector: selector })).items.length, 1);
      await watch.next(eventFor('ADDED', name), 'pod ADDED');
      await waitForRunningPods(ctx, { time: value }, 1);
      await pods.delete(name, ctx.namespace, { gracePeriodSeconds: 30 });
      const deleted = await watch.next(eventFor('DELETED', name), 'pod DELETED', 60_000);
      assert.ok(deleted.object.metadata.deletionTimestamp, 'the deleted pod carries a deletionTimestamp');
      assert.ok(
        (deleted.object.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds,
        'the deleted pod kept a non-zero terminationGracePeriodSeconds',
      );
      assert.equal((await pods.list({ namespace: ctx.namespace, labelSelector: selector })).items.length, 0);
    },
  }),
  conformanceTest({
    codename: '[sig-node] Pods should allow activeDeadlineSeconds to be updated [NodeConformance] [Conformance]',
    area: 'core',
    needs: ['kubelet-sim', 'patch'],
    async run(ctx) {
      const pods = ctx.client.resource(resources.pods);
      const name = ctx.uniqueName('pod-update-activedeadlineseconds');
      await pods.create(pod(name, { namespace: ctx.namespace, labels: { name: 'foo', time: name } }));
      await waitForRunningPods(ctx, { time: name }, 1);
      await retryOnConflict(async () => {
        const current = await pods.get(name, ctx.namespace);
        (current.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds = 5;
        return pods.update(current);
      });
      await eventually(
        async () => {
          const s = statusOf(await pods.get(name, ctx.namespace)) as { phase?: string; reason?: string };
          assert.equal(s.phase, 'Failed');
          assert.equal(s.reason, 'DeadlineExceeded');
        },
        { what: 'pod failed with DeadlineExceeded', signal: ctx.signal, timeoutMs: 45_000 },
      );
    },
  }),
  conformanceTest({
    codename: '[sig-node] Pods should run through the lifecycle of Pods and PodStatus [Conformance]',
    area: 'core',
    needs: ['watch', 'patch', 'status-subresource', 'kubelet-sim'],
    async run(ctx) {
      const ns = ctx.namespace;
      const pods = ctx.client.resource(resources.pods);
      const selector = 'test-pod-static=true';
      const { watch } = await watchFromList(ctx, pods, { namespace: ns, labelSelector: selector });
      await pods.create(
        pod('pod-test', {
          namespace: ns,
          labels: { 'test-pod-static': 'true' },
          spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'pod-test', image: agnhostImage }] },
        }),
      );
      await watch.next(
        (e) => e.object.metadata.name === 'pod-test' && phaseOf(e.object) === 'Running',
        'pod Running',
        60_000,
      );
      assert.equal(phaseOf(await pods.get('pod-test', ns)), 'Running');

      await pods.patch('pod-test', ns, 'strategic', {
        metadata: { labels: { 'test-pod': 'patched' } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'pod-test', image: httpdImage }] },
      });
      await watch.next(
        (e) => e.type === 'MODIFIED' && e.object.metadata.labels?.['test-pod'] === 'patched',
        'pod patched',
      );
      const patched = await pods.get('pod-test', ns);
      assert.equal(patched.metadata.labels?.['test-pod'], 'patched');
      assert.equal(container(patched).image, httpdImage);

      const updated = await retryOnConflict(async () => {
        const current = await ctx.api.getJson<KubeObject>(`/api/v1/namespaces/${ns}/pods/pod-test/status`);
        const conditions = (statusOf(current).conditions ?? []) as Condition[];
        let flipped = 0;
        for (const c of conditions) {
          if ((c.type === 'Ready' || c.type === 'ContainersReady') && c.status === 'True') {
            c.status = 'False';
            flipped++;
          }
        }
        assert.equal(flipped, 2, 'Ready and ContainersReady were both True');
        return pods.updateStatus(current);
      });
      const falseConditions = ((statusOf(updated).conditions ?? []) as Condition[]).filter(
        (c) => (c.type === 'Ready' || c.type === 'ContainersReady') && c.status === 'False',
      );
      assert.equal(falseConditions.length, 2, 'both readiness conditions replaced with False');

      await pods.deleteCollection({ namespace: ns, labelSelector: selector, gracePeriodSeconds: 1 });
      await watch.next(eventFor('DELETED', 'pod-test'), 'pod DELETED', 60_000);
      await expectNotFound(pods.get('pod-test', ns));
    },
  }),
  conformanceTest({
    codename:
      '[sig-node] Kubelet when scheduling a busybox command that always fails in a pod should be possible to delete [NodeConformance] [Conformance]',
    area: 'core',
    needs: ['crud', 'kubelet-sim'],
    async run(ctx) {
      const pods = ctx.client.resource(resources.pods);
      const name = ctx.uniqueName('bin-false');
      await pods.create(
        pod(name, {
          namespace: ctx.namespace,
          spec: { containers: [{ name, image: busybox, command: ['/bin/false'] }] },
        }),
      );
      await pods.delete(name, ctx.namespace);
      await eventually(() => expectNotFound(pods.get(name, ctx.namespace)), {
        what: 'failing pod removed',
        signal: ctx.signal,
      });
    },
  }),
  conformanceTest({
    codename:
      '[sig-node] Pods Extended Pods Set QOS Class should be set on Pods with matching resource requests and limits for memory and cpu [Conformance]',
    area: 'core',
    needs: ['pod-admission'],
    async run(ctx) {
      const pods = ctx.client.resource(resources.pods);
      const name = ctx.uniqueName('pod-qos-class');
      const equal = { cpu: '100m', memory: '100Mi' };
      await pods.create(
        pod(name, {
          namespace: ctx.namespace,
          spec: {
            containers: [{ name: 'agnhost', image: agnhostImage, resources: { requests: equal, limits: equal } }],
          },
        }),
      );
      const created = await pods.get(name, ctx.namespace);
      assert.equal((statusOf(created) as { qosClass?: string }).qosClass, 'Guaranteed');
    },
  }),
  conformanceTest({
    codename:
      '[sig-node] RuntimeClass should reject a Pod requesting a non-existent RuntimeClass [NodeConformance] [Conformance]',
    area: 'core',
    needs: ['pod-admission'],
    async run(ctx) {
      await expectPodRejection(ctx, `${ctx.namespace}-nonexistent`);
    },
  }),
  conformanceTest({
    codename:
      '[sig-node] RuntimeClass should reject a Pod requesting a deleted RuntimeClass [NodeConformance] [Conformance]',
    area: 'core',
    needs: ['pod-admission'],
    async run(ctx) {
      const name = await createRuntimeClass(ctx, 'delete-me', 'runc');
      const client = ctx.client.resource(runtimeClasses);
      await client.delete(name);
      await eventually(() => expectNotFound(client.get(name)), { what: 'RuntimeClass gone', signal: ctx.signal });
      await eventually(() => expectPodRejection(ctx, name), {
        what: 'pod rejected',
        signal: ctx.signal,
        timeoutMs: 15_000,
      });
    },
  }),
  conformanceTest({
    codename:
      '[sig-node] RuntimeClass should schedule a Pod requesting a RuntimeClass without PodOverhead [NodeConformance] [Conformance]',
    area: 'core',
    needs: ['pod-admission', 'scheduler'],
    async run(ctx) {
      const name = await createRuntimeClass(ctx, 'preconfigured-handler', 'test-handler');
      const created = await ctx.client.resource(resources.pods).create(runtimeClassPod(ctx.namespace, name));
      const scheduled = await waitForScheduledPod(ctx);
      assert.equal(scheduled.metadata.name, created.metadata.name);
      const overhead = (scheduled.spec as { overhead?: ResourceList }).overhead;
      assert.ok(!overhead || Object.keys(overhead).length === 0, 'no overhead without one on the RuntimeClass');
    },
  }),
  conformanceTest({
    codename:
      '[sig-node] RuntimeClass should schedule a Pod requesting a RuntimeClass and initialize its Overhead [NodeConformance] [Conformance]',
    area: 'core',
    needs: ['pod-admission', 'scheduler'],
    async run(ctx) {
      const name = await createRuntimeClass(ctx, 'preconfigured-handler', 'test-handler', {
        cpu: '10m',
        memory: '1Mi',
      });
      const created = await ctx.client.resource(resources.pods).create(runtimeClassPod(ctx.namespace, name));
      const scheduled = await waitForScheduledPod(ctx);
      assert.equal(scheduled.metadata.name, created.metadata.name);
      const overhead = (scheduled.spec as { overhead?: ResourceList }).overhead ?? {};
      assert.ok(sameQuantity(overhead.cpu, '10m'), `spec.overhead.cpu is ${overhead.cpu}, want 10m`);
      assert.ok(sameQuantity(overhead.memory, '1Mi'), `spec.overhead.memory is ${overhead.memory}, want 1Mi`);
    },
  }),
  conformanceTest({
    codename: '[sig-node] Node Lifecycle should run through the lifecycle of a node [Conformance]',
    area: 'core',
    needs: ['crud', 'patch', 'label-selector'],
    async run(ctx) {
      const nodes = ctx.client.resource(resources.nodes);
      const name = ctx.uniqueName('e2e-fake-node');
      ctx.defer(() => nodes.delete(name).catch(() => undefined));
      const created = await nodes.create(
        object(
          'v1',
          'Node',
          name,
          {},
          {
            spec: { unschedulable: true },
            status: {
              phase: 'Running',
              conditions: [{ type: 'Ready', status: 'True', reason: 'E2E', message: 'Set from e2e test' }],
            },
          },
        ),
      );
      assert.equal(created.metadata.name, name);
      assert.equal((await nodes.get(name)).metadata.name, name);
      const patched = await nodes.patch(name, undefined, 'strategic', { metadata: { labels: { [name]: 'patched' } } });
      assert.equal(patched.metadata.labels?.[name], 'patched');
      const listed = await nodes.list({ labelSelector: `${name}=patched` });
      assert.equal(listed.items.length, 1, 'a list by the patched label finds the node');
      const updated = await retryOnConflict(async () => {
        const current = await nodes.get(name);
        current.metadata.labels = { ...current.metadata.labels, [name]: 'updated' };
        return nodes.update(current);
      });
      assert.equal(updated.metadata.labels?.[name], 'updated');
      await nodes.delete(name);
      await eventually(() => expectNotFound(nodes.get(name)), { what: 'node deleted', signal: ctx.signal });
    },
  }),
  conformanceTest({
    codename:
      '[sig-node] Sysctls [LinuxOnly] [NodeConformance] should reject invalid sysctls [MinimumKubeletVersion:1.21] [Conformance]',
    area: 'core',
    needs: ['field-validation'],
    async run(ctx) {
      const sysctls = [
        { name: 'foo-', value: 'bar' },
        { name: 'kernel.shmmax', value: '100000000' },
        { name: 'safe-and-unsafe', value: '100000000' },
        { name: 'bar..', value: '42' },
      ];
      const err = await expectStatus(
        ctx.client.resource(resources.pods).create(
          pod(ctx.uniqueName('sysctl'), {
            namespace: ctx.namespace,
            spec: {
              securityContext: { sysctls },
              containers: [
                { name: 'test-container', image: busybox, command: ['/bin/sysctl', 'kernel.shm_rmid_forced'] },
              ],
              restartPolicy: 'Never',
            },
          }),
        ),
        422,
      );
      assert.ok(err.message.includes('Invalid value: "foo-"'), `names foo-: ${err.message}`);
      assert.ok(err.message.includes('Invalid value: "bar.."'), `names bar..: ${err.message}`);
      assert.ok(!err.message.includes('safe-and-unsafe'), `does not name the valid safe-and-unsafe: ${err.message}`);
      assert.ok(!err.message.includes('kernel.shmmax'), `does not name the valid kernel.shmmax: ${err.message}`);
    },
  }),
  conformanceTest({
    codename:
      '[sig-scheduling] LimitRange should create a LimitRange with defaults and ensure pod has those defaults applied. [Conformance]',
    area: 'core',
    needs: ['limit-range', 'crud'],
    timeoutMs: 90_000,
    async run(ctx) {
      const ns = ctx.namespace;
      const limitRanges = ctx.client.resource(resources.limitRanges);
      const pods = ctx.client.resource(resources.pods);
      const value = ctx.uniqueName('lr');
      const defaultLimit = resourceList('500m', '500Mi', '500Gi');
      const defaultRequest = resourceList('100m', '200Mi', '200Gi');
      const { list: listed, watch } = await watchFromList(ctx, limitRanges, {
        namespace: ns,
        labelSelector: `time=${value}`,
      });
      assert.equal(listed.items.length, 0, 'no LimitRange carries the label yet');
      const item = {
        type: 'Container',
        min: resourceList('50m', '100Mi', '100Gi'),
        max: resourceList('500m', '500Mi', '500Gi'),
        default: defaultLimit,
        defaultRequest,
        maxLimitRequestRatio: {},
      };
      await limitRanges.create(
        object(
          'v1',
          'LimitRange',
          'limit-range',
          { namespace: ns, labels: { time: value } },
          { spec: { limits: [item] } },
        ),
      );
      await watch.next(eventFor('ADDED', 'limit-range'), 'LimitRange ADDED');
      const fetched = await limitRanges.get('limit-range', ns);
      const [fetchedItem] = (fetched.spec as { limits: Array<{ default: ResourceList; defaultRequest: ResourceList }> })
        .limits;
      assert.deepEqual(fetchedItem?.default, defaultLimit);
      assert.deepEqual(fetchedItem?.defaultRequest, defaultRequest);

      const bare = await pods.create(limitedPod('pod-no-resources', ns, {}));
      assertRequirements(await pods.get(bare.metadata.name ?? '', ns), {
        requests: defaultRequest,
        limits: defaultLimit,
      });
      // A limit without a request becomes the request; the LimitRange default request only fills in the rest.
      await pods.create(
        limitedPod('pod-partial-resources', ns, resourceList('', '150Mi', '150Gi'), resourceList('300m', '', '')),
      );
      assertRequirements(await pods.get('pod-partial-resources', ns), {
        requests: resourceList('300m', '150Mi', '150Gi'),
        limits: resourceList('300m', '500Mi', '500Gi'),
      });
      await expectStatus(pods.create(limitedPod('pfpod', ns, resourceList('10m', '50Mi', '50Gi'))), 403);
      await expectStatus(pods.create(limitedPod('pfpod', ns, resourceList('600m', '600Mi', '600Gi'))), 403);

      const newMin = resourceList('9m', '49Mi', '49Gi');
      await retryOnConflict(async () => {
        const current = await limitRanges.get('limit-range', ns);
        (current.spec as { limits: Array<{ min: ResourceList }> }).limits[0] = { ...item, min: newMin };
        return limitRanges.update(current);
      });
      await eventually(
        async () => {
          const lr = await limitRanges.get('limit-range', ns);
          assert.deepEqual((lr.spec as { limits: Array<{ min: ResourceList }> }).limits[0]?.min, newMin);
        },
        { what: 'LimitRange min updated', signal: ctx.signal },
      );
      await eventually(() => pods.create(limitedPod('pfpod', ns, resourceList('10m', '50Mi', '50Gi'))), {
        what: 'pod under the former min admitted',
        signal: ctx.signal,
      });
      await expectStatus(pods.create(limitedPod('pfpod-max', ns, resourceList('600m', '600Mi', '600Gi'))), 403);

      await limitRanges.delete('limit-range', ns, { gracePeriodSeconds: 30 });
      await eventually(async () => assert.equal((await limitRanges.list({ namespace: ns })).items.length, 0), {
        what: 'LimitRange deleted',
        signal: ctx.signal,
      });
      await eventually(() => pods.create(limitedPod('pfpod2', ns, resourceList('600m', '600Mi', '600Gi'))), {
        what: 'pod over the former max admitted',
        signal: ctx.signal,
        timeoutMs: 40_000,
      });
    },
  }),
];
