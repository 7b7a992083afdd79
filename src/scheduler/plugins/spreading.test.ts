import { describe, expect, it } from 'vitest';
import { toPodInfo } from '../node-info.ts';
import { scheduleOne } from '../schedule-one.ts';
import { node, pod, snapshot } from '../testing/builders.ts';
import { defaultProfile } from './index.ts';

const zones = ['zone-a', 'zone-b', 'zone-c'];
const zoned = () =>
  zones.map((z, i) =>
    node({ name: `n${i}`, labels: { 'topology.kubernetes.io/zone': z, 'kubernetes.io/hostname': `n${i}` } }),
  );
const app = { app: 'web' };
const antiAffinity = {
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { labelSelector: { matchLabels: app }, topologyKey: 'topology.kubernetes.io/zone' },
    ],
  },
};

function place(
  nodes: ReturnType<typeof zoned>,
  placed: Record<string, ReturnType<typeof pod>[]>,
  p: ReturnType<typeof pod>,
) {
  return scheduleOne(defaultProfile(), snapshot(nodes, placed), p, { nextStartIndex: 0 });
}

describe('InterPodAffinity', () => {
  it('required anti-affinity keeps replicas in different zones', () => {
    const result = place(
      zoned(),
      { n0: [pod({ labels: app, affinity: antiAffinity })], n1: [pod({ labels: app, affinity: antiAffinity })] },
      pod({ labels: app, affinity: antiAffinity }),
    );
    expect(result).toMatchObject({ kind: 'scheduled', node: 'n2' });
  });

  it('reports anti-affinity when every zone is taken', () => {
    const placed = { n0: [pod({ labels: app })], n1: [pod({ labels: app })], n2: [pod({ labels: app })] };
    const result = place(zoned(), placed, pod({ labels: app, affinity: antiAffinity }));
    expect(result.kind).toBe('unschedulable');
    if (result.kind === 'unschedulable')
      expect(result.message).toContain("3 node(s) didn't match pod anti-affinity rules");
  });

  it("existing pods' anti-affinity repels the newcomer", () => {
    const result = place(
      zoned(),
      { n0: [pod({ labels: { other: 'x' }, affinity: antiAffinity })] },
      pod({ labels: app, nodeSelector: { 'kubernetes.io/hostname': 'n0' } }),
    );
    expect(result.kind).toBe('unschedulable');
    if (result.kind === 'unschedulable')
      expect(result.message).toContain("1 node(s) didn't satisfy existing pods anti-affinity rules");
  });

  it('required affinity follows the matching pods, and the first self-affine pod may start anywhere', () => {
    const affinity = {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone' },
        ],
      },
    };
    expect(place(zoned(), { n1: [pod({ labels: { app: 'db' } })] }, pod({ affinity }))).toMatchObject({ node: 'n1' });
    expect(place(zoned(), {}, pod({ affinity })).kind).toBe('unschedulable');
    expect(place(zoned(), {}, pod({ labels: { app: 'db' }, affinity })).kind).toBe('scheduled');
  });
});

describe('PodTopologySpread', () => {
  const constraint = (whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway') => ({
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable,
        labelSelector: { matchLabels: app },
      },
    ],
  });

  it('DoNotSchedule puts the pod in the emptiest zone', () => {
    const placed = { n0: [pod({ labels: app })], n1: [pod({ labels: app })] };
    expect(place(zoned(), placed, pod({ labels: app, ...constraint('DoNotSchedule') }))).toMatchObject({ node: 'n2' });
  });

  it('refuses a skew above maxSkew', () => {
    const nodes = zoned();
    const placed = { n0: [pod({ labels: app }), pod({ labels: app })], n1: [pod({ labels: app })] };
    // Ignore the nodeSelector when counting domains; otherwise only n0's zone would count.
    const spread = constraint('DoNotSchedule').topologySpreadConstraints.map((c) => ({
      ...c,
      nodeAffinityPolicy: 'Ignore' as const,
    }));
    const p = pod({ labels: app, nodeSelector: { 'kubernetes.io/hostname': 'n0' }, topologySpreadConstraints: spread });
    const result = scheduleOne(defaultProfile(), snapshot(nodes, placed), p, { nextStartIndex: 0 });
    expect(result.kind).toBe('unschedulable');
  });

  it('nodes without the topology label are unresolvable', () => {
    const result = place([node({ name: 'bare' })] as never, {}, pod({ labels: app, ...constraint('DoNotSchedule') }));
    expect(result.kind).toBe('unschedulable');
    if (result.kind === 'unschedulable') expect(result.message).toContain('(missing required label)');
  });

  it('ScheduleAnyway prefers the emptiest zone without refusing', () => {
    const placed = { n0: [pod({ labels: app }), pod({ labels: app })], n1: [pod({ labels: app })] };
    expect(place(zoned(), placed, pod({ labels: app, ...constraint('ScheduleAnyway') }))).toMatchObject({ node: 'n2' });
  });
});

describe('DefaultPreemption', () => {
  it('nominates a node and evicts only the lower-priority pods needed', () => {
    const nodes = [node({ name: 'a', cpu: '2' }), node({ name: 'b', cpu: '2' })];
    const low1 = pod({ cpu: '1', priority: 1 });
    const low2 = pod({ cpu: '1', priority: 5 });
    const high = pod({ cpu: '2', priority: 10 });
    const result = scheduleOne(
      defaultProfile(),
      snapshot(nodes, { a: [low1, low2], b: [high] }),
      pod({ cpu: '1', priority: 100 }),
      { nextStartIndex: 0 },
    );
    expect(result.kind).toBe('unschedulable');
    if (result.kind !== 'unschedulable') return;
    expect(result.nominatedNode).toBe('a');
    expect(result.victims?.map((v) => v.metadata.name)).toEqual([low1.metadata.name]);
  });

  it('counts room already nominated to another preemptor as taken', () => {
    // Each node holds two victims; a first preemptor was nominated to a, so a second one must not evict
    // on a (a's freed room is promised) but on b.
    const nodes = [node({ name: 'a', cpu: '1' }), node({ name: 'b', cpu: '1' })];
    const victims = {
      a: [pod({ cpu: '400m' }), pod({ cpu: '400m' })],
      b: [pod({ cpu: '400m' }), pod({ cpu: '400m' })],
    };
    const first = toPodInfo(pod({ cpu: '400m', priority: 100 }));
    const view = snapshot(nodes, victims);
    (view.infos[0] as (typeof view.infos)[number]).nominated = [first];
    const result = scheduleOne(defaultProfile(), view, pod({ cpu: '400m', priority: 100 }), { nextStartIndex: 0 });
    expect(result.kind === 'unschedulable' && result.nominatedNode).toBe('b');
    expect(result.kind === 'unschedulable' && result.victims?.length).toBe(1);
  });

  it('picks the same victims whether the dry run is done in arithmetic or on node copies', () => {
    // Requesting an extended resource (plenty of it everywhere) makes NodeResourcesFit unable to judge
    // in cpu and memory alone, so the second pod goes through the copying dry run.
    const gpu = { 'example.com/gpu': '10' };
    const nodes = [
      node({ name: 'a', cpu: '2', extra: gpu }),
      node({ name: 'b', cpu: '2', extra: gpu }),
      node({ name: 'c', cpu: '2', extra: gpu, taints: [{ key: 'k', effect: 'NoSchedule' }] }),
    ];
    const victims = {
      a: [pod({ cpu: '1', priority: 10 }), pod({ cpu: '250m', priority: 5 }), pod({ cpu: '250m', priority: 1 })],
      // The pod that may not be evicted (priority above the preemptor's) still takes its room.
      b: [pod({ cpu: '1', priority: 200 }), pod({ cpu: '500m', priority: 1 })],
      c: [pod({ cpu: '2', priority: 1 })],
    };
    const outcome = (extra: Record<string, string>) => {
      const preemptor = pod({
        priority: 100,
        containers: [{ name: 'c', resources: { requests: { cpu: '1', ...extra } } }],
      });
      const result = scheduleOne(defaultProfile(), snapshot(nodes, victims), preemptor, { nextStartIndex: 0 });
      if (result.kind !== 'unschedulable') throw new Error(result.kind);
      return { node: result.nominatedNode, victims: result.victims?.map((v) => v.spec.priority) };
    };
    const byUsage = outcome({});
    expect(byUsage).toEqual({ node: 'b', victims: [1] });
    expect(outcome({ 'example.com/gpu': '1' })).toEqual(byUsage);
  });

  it('does not preempt equal or higher priority pods', () => {
    const nodes = [node({ name: 'a', cpu: '1' })];
    const result = scheduleOne(
      defaultProfile(),
      snapshot(nodes, { a: [pod({ cpu: '1', priority: 100 })] }),
      pod({ cpu: '1', priority: 100 }),
      { nextStartIndex: 0 },
    );
    expect(result.kind === 'unschedulable' && result.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });

  it('honours preemptionPolicy Never', () => {
    const nodes = [node({ name: 'a', cpu: '1' })];
    const result = scheduleOne(
      defaultProfile(),
      snapshot(nodes, { a: [pod({ cpu: '1' })] }),
      pod({ cpu: '1', priority: 100, preemptionPolicy: 'Never' }),
      { nextStartIndex: 0 },
    );
    expect(result.kind === 'unschedulable' && result.message).toContain(
      'preemption: not eligible due to preemptionPolicy=Never.',
    );
  });
});
