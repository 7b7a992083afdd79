/** test/e2e/scheduling/predicates.go: the SchedulerPredicates tests that need no preemption. */
import { resources } from '../../../src/client/index.ts';
import { toMilli } from '../../../src/quantity.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import assert from '../../helpers/assert.ts';
import { schedulableNodes } from '../../helpers/nodes.ts';
import { pauseImage, pod } from '../../helpers/objects.ts';
import { statusOf } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

type PodSpec = {
  nodeName?: string;
  containers: Array<{ resources?: { requests?: Record<string, string> } }>;
};
type Condition = { type: string; status: string; reason?: string };
const nodeNameOf = (p: KubeObject) => (p.spec as PodSpec).nodeName;

/** Labels a node for the test and takes the label off again afterwards. */
async function labelNode(ctx: ConformanceContext, node: string, key: string, value: string) {
  const nodes = ctx.client.resource(resources.nodes);
  ctx.defer(() => nodes.patch(node, undefined, 'merge', { metadata: { labels: { [key]: null } } }));
  await nodes.patch(node, undefined, 'strategic', { metadata: { labels: { [key]: value } } });
}

function pausePod(
  name: string,
  namespace: string,
  spec: Record<string, unknown> = {},
  labels?: Record<string, string>,
) {
  return pod(name, {
    namespace,
    ...(labels ? { labels } : {}),
    spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'pause', image: pauseImage }], ...spec },
  });
}

async function waitForRunning(ctx: ConformanceContext, name: string) {
  return eventually(
    async () => {
      const p = await ctx.client.resource(resources.pods).get(name, ctx.namespace);
      assert.equal((statusOf(p) as { phase?: string }).phase, 'Running', `${name} phase`);
      return p;
    },
    { what: `${name} running`, signal: ctx.signal, timeoutMs: 45_000 },
  );
}

/** The scheduler has looked at the pod and found no node for it (and it stays unbound). */
async function waitForUnschedulable(ctx: ConformanceContext, name: string) {
  const p = await eventually(
    async () => {
      const current = await ctx.client.resource(resources.pods).get(name, ctx.namespace);
      const scheduled = ((statusOf(current).conditions ?? []) as Condition[]).find((c) => c.type === 'PodScheduled');
      assert.ok(
        scheduled?.status === 'False' && scheduled.reason === 'Unschedulable',
        `${name} marked Unschedulable, PodScheduled is ${JSON.stringify(scheduled)}`,
      );
      return current;
    },
    { what: `${name} unschedulable`, signal: ctx.signal },
  );
  assert.equal(nodeNameOf(p), undefined, `${name} was not bound to a node`);
}

/** A node a plain pod lands on, found by running one there (upstream's GetNodeThatCanRunPod). */
async function nodeThatCanRunPod(ctx: ConformanceContext) {
  const pods = ctx.client.resource(resources.pods);
  await pods.create(pausePod('without-label', ctx.namespace));
  const running = await waitForRunning(ctx, 'without-label');
  await pods.delete('without-label', ctx.namespace, { gracePeriodSeconds: 0 });
  const node = nodeNameOf(running);
  assert.ok(node, 'the probe pod was bound to a node');
  return node;
}

export const schedulerPredicateTests = [
  conformanceTest({
    codename:
      '[sig-scheduling] SchedulerPredicates [Serial] validates resource limits of pods that are allowed to run [Conformance]',
    area: 'scheduling',
    needs: ['scheduler', 'kubelet-sim', 'events'],
    timeoutMs: 120_000,
    async run(ctx) {
      const ns = ctx.namespace;
      const free = new Map<string, number>();
      let largest = 0;
      for (const node of await schedulableNodes(ctx)) {
        const name = node.metadata.name ?? '';
        await labelNode(ctx, name, 'node', name);
        const allocatable = toMilli((statusOf(node).allocatable as Record<string, string> | undefined)?.cpu);
        free.set(name, allocatable);
        largest = Math.max(largest, allocatable);
      }
      assert.ok(free.size > 0, 'at least one schedulable node');
      for (const p of (await ctx.client.resource(resources.pods).list()).items) {
        const node = nodeNameOf(p);
        const phase = (statusOf(p) as { phase?: string }).phase;
        if (!node || !free.has(node) || phase === 'Succeeded' || phase === 'Failed') continue;
        const requested = (p.spec as PodSpec).containers.reduce(
          (sum, c) => sum + toMilli(c.resources?.requests?.cpu),
          0,
        );
        free.set(node, (free.get(node) ?? 0) - requested);
      }
      const pods = ctx.client.resource(resources.pods);
      const fillers: string[] = [];
      for (const [node, cpu] of free) {
        // 70% of what is left on each node, pinned there by node affinity.
        const milli = `${Math.floor((cpu * 7) / 10)}m`;
        const name = `filler-pod-${fillers.length}`;
        fillers.push(name);
        await pods.create(
          pausePod(name, ns, {
            containers: [
              { name: 'pause', image: pauseImage, resources: { requests: { cpu: milli }, limits: { cpu: milli } } },
            ],
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'node', operator: 'In', values: [node] }] }],
                },
              },
            },
          }),
        );
      }
      for (const name of fillers) await waitForRunning(ctx, name);
      // Half of the largest node no longer fits anywhere once 70% of every node is taken.
      const half = `${Math.floor((largest * 5) / 10)}m`;
      await pods.create(
        pausePod(
          'additional-pod',
          ns,
          {
            containers: [
              { name: 'pause', image: pauseImage, resources: { requests: { cpu: half }, limits: { cpu: half } } },
            ],
          },
          { name: 'additional' },
        ),
      );
      await waitForUnschedulable(ctx, 'additional-pod');
      const all = (await pods.list({ namespace: ns })).items;
      assert.equal(
        all.filter((p) => nodeNameOf(p)).length,
        fillers.length,
        'every filler pod and nothing else is scheduled',
      );
    },
  }),
  conformanceTest({
    codename:
      '[sig-scheduling] SchedulerPredicates [Serial] validates that NodeSelector is respected if not matching [Conformance]',
    area: 'scheduling',
    needs: ['scheduler', 'events'],
    async run(ctx) {
      await ctx.client
        .resource(resources.pods)
        .create(
          pausePod('restricted-pod', ctx.namespace, { nodeSelector: { label: 'nonempty' } }, { name: 'restricted' }),
        );
      await waitForUnschedulable(ctx, 'restricted-pod');
    },
  }),
  conformanceTest({
    codename:
      '[sig-scheduling] SchedulerPredicates [Serial] validates that NodeSelector is respected if matching [Conformance]',
    area: 'scheduling',
    needs: ['scheduler', 'kubelet-sim', 'patch'],
    async run(ctx) {
      const node = await nodeThatCanRunPod(ctx);
      const key = `kubernetes.io/e2e-${ctx.uniqueName('label')}`;
      await labelNode(ctx, node, key, '42');
      await ctx.client
        .resource(resources.pods)
        .create(pausePod('with-labels', ctx.namespace, { nodeSelector: { [key]: '42' } }));
      const running = await waitForRunning(ctx, 'with-labels');
      assert.equal(nodeNameOf(running), node, 'the pod runs on the labelled node');
    },
  }),
  conformanceTest({
    codename:
      '[sig-scheduling] SchedulerPredicates [Serial] validates that there exists conflict between pods with same hostPort and protocol but one using 0.0.0.0 hostIP [Conformance]',
    area: 'scheduling',
    needs: ['scheduler', 'kubelet-sim'],
    async run(ctx) {
      const node = await nodeThatCanRunPod(ctx);
      const key = `kubernetes.io/e2e-${ctx.uniqueName('hostport')}`;
      await labelNode(ctx, node, key, '95');
      const pods = ctx.client.resource(resources.pods);
      const withPort = (name: string, hostIP: string) =>
        pausePod(name, ctx.namespace, {
          nodeSelector: { [key]: '95' },
          containers: [
            {
              name: 'pause',
              image: pauseImage,
              ports: [{ containerPort: 8080, hostPort: 54322, hostIP, protocol: 'TCP' }],
            },
          ],
        });
      await pods.create(withPort('pod4', '0.0.0.0'));
      await waitForRunning(ctx, 'pod4');
      // 0.0.0.0 holds the port on every address of the node, 127.0.0.1 included.
      await pods.create(withPort('pod5', '127.0.0.1'));
      await waitForUnschedulable(ctx, 'pod5');
    },
  }),
];
