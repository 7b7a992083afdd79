/** test/e2e/apps/daemon_set.go: placement, revival, node selectors, rolling update, rollback, collections. */
import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { schedulableNodes } from '../../helpers/nodes.ts';
import { agnhostImage, httpdImage, workload } from '../../helpers/objects.ts';
import { controlledBy } from '../../helpers/owners.ts';
import { selectorOf, statusOf } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

interface PodShape {
  spec: { nodeName?: string; containers: Array<{ image: string }> };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
}
const nodeOf = (p: KubeObject) => (p as unknown as PodShape).spec.nodeName;
const isRunningReady = (p: KubeObject) => {
  const s = (p as unknown as PodShape).status;
  return (
    !p.metadata.deletionTimestamp &&
    s?.phase === 'Running' &&
    (s.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
};

const dsLabels = (name: string) => ({ 'daemonset-name': name });

async function daemonPods(ctx: ConformanceContext, name: string) {
  return (
    await ctx.client
      .resource(resources.pods)
      .list({ namespace: ctx.namespace, labelSelector: selectorOf(dsLabels(name)) })
  ).items;
}

/** One running, ready daemon pod on each of `nodes()` (default: every schedulable node). */
async function waitForDaemonOnNodes(
  ctx: ConformanceContext,
  name: string,
  nodes: () => Promise<string[]> = async () => (await schedulableNodes(ctx)).map((n) => n.metadata.name ?? ''),
  check: (p: KubeObject) => boolean = () => true,
) {
  return eventually(
    async () => {
      const want = await nodes();
      const pods = (await daemonPods(ctx, name)).filter((p) => isRunningReady(p) && check(p));
      const have = new Set(pods.map(nodeOf));
      const missing = want.filter((n) => !have.has(n));
      assert.deepEqual(missing, [], `no daemon pod running on ${missing.join(',')}`);
      if (want.length === 0) assert.equal(pods.length, 0, 'no daemon pods expected');
      return pods;
    },
    { what: `daemon ${name} on its nodes`, signal: ctx.signal, timeoutMs: 60_000 },
  );
}

function daemonSet(ctx: ConformanceContext, name: string, o: { image?: string; spec?: Record<string, unknown> } = {}) {
  return workload('DaemonSet', name, {
    namespace: ctx.namespace,
    selector: dsLabels(name),
    image: o.image ?? httpdImage,
    ...(o.spec ? { spec: o.spec } : {}),
  });
}

const imageOf = (p: KubeObject) => (p as unknown as PodShape).spec.containers[0]?.image;

export const daemonSetTests = [
  conformanceTest({
    codename: '[sig-apps] Daemon set [Serial] should run and stop simple daemon [Conformance]',
    area: 'apps',
    needs: ['daemonset-controller', 'kubelet-sim'],
    async run(ctx) {
      const name = 'daemon-set';
      const client = ctx.client.resource(resources.daemonSets);
      await client.create(daemonSet(ctx, name));
      const pods = await waitForDaemonOnNodes(ctx, name);
      const victim = pods[0];
      assert.ok(victim, 'at least one daemon pod');
      await ctx.client.resource(resources.pods).delete(victim.metadata.name ?? '', ctx.namespace);
      await waitForDaemonOnNodes(ctx, name, undefined, (p) => p.metadata.uid !== victim.metadata.uid);
      await client.delete(name, ctx.namespace);
      await eventually(async () => assert.equal((await daemonPods(ctx, name)).length, 0), {
        what: 'daemon pods gone',
        signal: ctx.signal,
      });
    },
  }),
  conformanceTest({
    codename: '[sig-apps] Daemon set [Serial] should run and stop complex daemon [Conformance]',
    area: 'apps',
    needs: ['daemonset-controller', 'scheduler', 'kubelet-sim'],
    async run(ctx) {
      const name = 'daemon-set';
      // A label key of this run's own, so concurrent tests never see it.
      const key = `${ctx.uniqueName('color')}.e2e.example.com/color`;
      const nodes = ctx.client.resource(resources.nodes);
      const [target] = await schedulableNodes(ctx);
      assert.ok(target, 'a schedulable node');
      const nodeName = target.metadata.name ?? '';
      const label = (value: string | null) =>
        nodes.patch(nodeName, undefined, 'merge', { metadata: { labels: { [key]: value } } });
      ctx.defer(() => label(null));
      const client = ctx.client.resource(resources.daemonSets);
      const spec = {
        template: {
          metadata: { labels: dsLabels(name) },
          spec: {
            nodeSelector: { [key]: 'blue' },
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'app', image: httpdImage }],
          },
        },
      };
      await client.create(daemonSet(ctx, name, { spec }));
      const none = async () => [] as string[];
      await waitForDaemonOnNodes(ctx, name, none);
      await label('blue');
      await waitForDaemonOnNodes(ctx, name, async () => [nodeName]);
      await label('green');
      await eventually(async () => assert.equal((await daemonPods(ctx, name)).length, 0, 'daemon pod unscheduled'), {
        what: 'daemon pod removed from the relabelled node',
        signal: ctx.signal,
      });
      await client.patch(name, ctx.namespace, 'strategic', {
        spec: { template: { spec: { nodeSelector: { [key]: 'green' } } }, updateStrategy: { type: 'RollingUpdate' } },
      });
      await waitForDaemonOnNodes(ctx, name, async () => [nodeName]);
      await client.delete(name, ctx.namespace);
      await eventually(async () => assert.equal((await daemonPods(ctx, name)).length, 0), {
        what: 'daemon pods gone',
        signal: ctx.signal,
      });
    },
  }),
  conformanceTest({
    codename: '[sig-apps] Daemon set [Serial] should retry creating failed daemon pods [Conformance]',
    area: 'apps',
    needs: ['daemonset-controller', 'status-subresource', 'kubelet-sim'],
    async run(ctx) {
      const name = 'daemon-set';
      await ctx.client.resource(resources.daemonSets).create(daemonSet(ctx, name));
      const pods = await waitForDaemonOnNodes(ctx, name);
      const victim = pods[0];
      assert.ok(victim, 'a daemon pod to fail');
      const podClient = ctx.client.resource(resources.pods);
      await retryOnConflict(async () => {
        const p = await podClient.get(victim.metadata.name ?? '', ctx.namespace);
        (p.status as { phase: string }).phase = 'Failed';
        return podClient.updateStatus(p);
      });
      await waitForDaemonOnNodes(ctx, name, undefined, (p) => p.metadata.uid !== victim.metadata.uid);
    },
  }),
  conformanceTest({
    codename:
      '[sig-apps] Daemon set [Serial] should update pod when spec was updated and update strategy is RollingUpdate [Conformance]',
    area: 'apps',
    needs: ['daemonset-controller', 'kubelet-sim'],
    async run(ctx) {
      const name = 'daemon-set';
      const client = ctx.client.resource(resources.daemonSets);
      const ds = await client.create(daemonSet(ctx, name, { spec: { updateStrategy: { type: 'RollingUpdate' } } }));
      await waitForDaemonOnNodes(ctx, name);
      const revisions = ctx.client.resource(resources.controllerRevisions);
      const owned = async () =>
        (await revisions.list({ namespace: ctx.namespace })).items.filter((r) => controlledBy(r, ds));
      await eventually(async () => assert.equal((await owned()).length, 1, 'one history revision'), {
        what: 'first ControllerRevision',
        signal: ctx.signal,
      });
      await client.patch(name, ctx.namespace, 'strategic', {
        spec: { template: { spec: { containers: [{ name: 'httpd', image: agnhostImage }] } } },
      });
      await waitForDaemonOnNodes(ctx, name, undefined, (p) => imageOf(p) === agnhostImage);
      await eventually(
        async () => {
          const old = (await daemonPods(ctx, name)).filter((p) => imageOf(p) !== agnhostImage);
          assert.equal(old.length, 0, 'old daemon pods remain');
          assert.equal((await owned()).length, 2, 'two history revisions');
          const s = statusOf(await client.get(name, ctx.namespace));
          assert.equal(s.updatedNumberScheduled, s.desiredNumberScheduled, 'all pods updated');
        },
        { what: 'rolling update complete', signal: ctx.signal },
      );
    },
  }),
  conformanceTest({
    codename: '[sig-apps] Daemon set [Serial] should rollback without unnecessary restarts [Conformance]',
    area: 'apps',
    needs: ['daemonset-controller', 'kubelet-sim'],
    async run(ctx) {
      const name = 'daemon-set';
      const client = ctx.client.resource(resources.daemonSets);
      await client.create(daemonSet(ctx, name, { spec: { updateStrategy: { type: 'RollingUpdate' } } }));
      const original = await waitForDaemonOnNodes(ctx, name);
      await client.patch(name, ctx.namespace, 'strategic', {
        spec: { template: { spec: { containers: [{ name: 'httpd', image: 'foo:non-existent' }] } } },
      });
      // maxUnavailable 1: exactly one pod moves to the broken image and never becomes ready.
      await eventually(
        async () => {
          const broken = (await daemonPods(ctx, name)).filter((p) => imageOf(p) === 'foo:non-existent');
          assert.ok(broken.length >= 1, 'a pod with the bad image exists');
        },
        { what: 'rollout stuck on the bad image', signal: ctx.signal },
      );
      const untouched = new Set(
        (await daemonPods(ctx, name))
          .filter((p) => imageOf(p) === httpdImage && !p.metadata.deletionTimestamp)
          .map((p) => p.metadata.uid),
      );
      assert.ok(
        original.length <= 1 || untouched.size >= 1,
        `the rollout stalled before replacing every pod: ${JSON.stringify((await daemonPods(ctx, name)).map((p) => [imageOf(p), p.metadata.deletionTimestamp, (p.status as { phase?: string }).phase]))}`,
      );
      await client.patch(name, ctx.namespace, 'strategic', {
        spec: { template: { spec: { containers: [{ name: 'httpd', image: httpdImage }] } } },
      });
      const after = await waitForDaemonOnNodes(ctx, name, undefined, (p) => imageOf(p) === httpdImage);
      const afterUids = new Set(after.map((p) => p.metadata.uid));
      for (const uid of untouched) assert.ok(afterUids.has(uid), `pod ${uid ?? ''} was restarted by the rollback`);
    },
  }),
  conformanceTest({
    codename: '[sig-apps] Daemon set [Serial] should list and delete a collection of DaemonSets [Conformance]',
    area: 'apps',
    needs: ['daemonset-controller', 'label-selector', 'deletecollection'],
    async run(ctx) {
      const name = 'daemon-set';
      const client = ctx.client.resource(resources.daemonSets);
      const ds = daemonSet(ctx, name);
      ds.metadata.labels = { 'daemonset-name': name };
      await client.create(ds);
      await waitForDaemonOnNodes(ctx, name);
      const listed = await client.list({ labelSelector: 'daemonset-name=daemon-set' });
      assert.ok(
        listed.items.some((d) => d.metadata.namespace === ctx.namespace),
        'list across namespaces includes the DaemonSet',
      );
      await client.deleteCollection({ namespace: ctx.namespace, labelSelector: 'daemonset-name=daemon-set' });
      await eventually(
        async () =>
          assert.equal(
            (await client.list({ namespace: ctx.namespace, labelSelector: 'daemonset-name=daemon-set' })).items.length,
            0,
          ),
        { what: 'DaemonSets deleted', signal: ctx.signal },
      );
    },
  }),
];
