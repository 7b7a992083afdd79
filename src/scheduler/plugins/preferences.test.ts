/**
 * The documented behaviour of the softer parts of the default plugins, through scheduleOne with the
 * default profile: preferred node affinity and preferred inter-pod (anti-)affinity steer without
 * refusing; minDomains counts missing domains as empty; preemption spares pods a disruption budget
 * protects when another node will do, and still preempts when none will.
 */
import { describe, expect, it } from 'vitest';
import { scheduleOne } from '../schedule-one.ts';
import { node, pod, snapshot } from '../testing/builders.ts';
import type { Pod } from '../types.ts';
import { defaultProfile } from './index.ts';
import * as nodeAffinity from './node-affinity.ts';

const zone = 'topology.kubernetes.io/zone';
const zoned = (names: [string, string][]) => names.map(([name, z]) => node({ name, labels: { [zone]: z } }));
const first = { nextStartIndex: 0 };
const placeWith = (profile: ReturnType<typeof defaultProfile>, view: ReturnType<typeof snapshot>, p: Pod) =>
  scheduleOne(profile, view, p, first);

describe('NodeAffinity preferred terms', () => {
  const prefers = (terms: { weight: number; key: string; value: string }[]) =>
    pod({
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: terms.map(({ weight, key, value }) => ({
            weight,
            preference: { matchExpressions: [{ key, operator: 'In', values: [value] }] },
          })),
        },
      },
    });
  const nodes = () => [
    node({ name: 'hdd', labels: { disk: 'hdd', gpu: 'yes' } }),
    node({ name: 'ssd', labels: { disk: 'ssd' } }),
    node({ name: 'none' }),
  ];

  it('sums the weights of matching terms and normalizes the best node to 100', () => {
    const view = snapshot(nodes());
    const p = prefers([
      { weight: 30, key: 'disk', value: 'ssd' },
      { weight: 20, key: 'gpu', value: 'yes' },
      { weight: 5, key: 'disk', value: 'hdd' },
    ]);
    const plugin = nodeAffinity.create();
    const context = { state: new Map() } as never;
    const raw = view.infos.map((n) => plugin.score(context, p, n));
    expect(raw).toEqual([25, 30, 0]);
    plugin.normalize?.(context, p, raw);
    expect(raw).toEqual([83, 100, 0]);
  });

  it('steers the pod to the preferred node without refusing the others', () => {
    expect(
      placeWith(defaultProfile(), snapshot(nodes()), prefers([{ weight: 50, key: 'disk', value: 'ssd' }])),
    ).toMatchObject({ node: 'ssd' });
    const only = [node({ name: 'hdd', labels: { disk: 'hdd' } })];
    expect(
      placeWith(defaultProfile(), snapshot(only), prefers([{ weight: 50, key: 'disk', value: 'ssd' }])),
    ).toMatchObject({
      node: 'hdd',
    });
  });
});

describe('InterPodAffinity preferred terms', () => {
  const cache = { app: 'cache' };
  const term = (weight: number) => [
    { weight, podAffinityTerm: { labelSelector: { matchLabels: cache }, topologyKey: zone } },
  ];
  const twoZones = (placed: Record<string, Pod[]>) =>
    snapshot(
      zoned([
        ['a1', 'zone-a'],
        ['b1', 'zone-b'],
      ]),
      placed,
    );

  it('moves a pod next to the pods it prefers, by zone, against what resources prefer', () => {
    const p = pod({ affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: term(80) } } });
    // The cache pod makes b1 the busier node: resources alone pick a1.
    const cacheOnB1 = twoZones({ b1: [pod({ labels: cache, cpu: '1', memory: '4Gi' })] });
    expect(placeWith(defaultProfile(), cacheOnB1, pod())).toMatchObject({ node: 'a1' });
    expect(placeWith(defaultProfile(), cacheOnB1, p)).toMatchObject({ node: 'b1' });
  });

  it('moves a pod away from the pods it prefers to avoid', () => {
    const p = pod({ affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: term(80) } } });
    const busyElsewhere = twoZones({ a1: [pod({ labels: cache })], b1: [pod({ cpu: '1', memory: '4Gi' })] });
    expect(placeWith(defaultProfile(), busyElsewhere, pod())).toMatchObject({ node: 'a1' });
    expect(placeWith(defaultProfile(), busyElsewhere, p)).toMatchObject({ node: 'b1' });
  });
});

describe('PodTopologySpread minDomains', () => {
  const app = { app: 'web' };
  const spread = (minDomains?: number) =>
    pod({
      labels: app,
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: zone,
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: app },
          ...(minDomains ? { minDomains } : {}),
        },
      ],
    });
  const view = () =>
    snapshot(
      zoned([
        ['a1', 'zone-a'],
        ['b1', 'zone-b'],
      ]),
      { a1: [pod({ labels: app })], b1: [pod({ labels: app })] },
    );

  it('treats the global minimum as 0 while there are fewer domains than minDomains', () => {
    expect(placeWith(defaultProfile(), view(), spread()).kind).toBe('scheduled');
    const result = placeWith(defaultProfile(), view(), spread(3));
    expect(result.kind).toBe('unschedulable');
    if (result.kind === 'unschedulable')
      expect(result.message).toContain("2 node(s) didn't match pod topology spread constraints");
  });
});

describe('DefaultPreemption and PodDisruptionBudgets', () => {
  const guarded = { app: 'db' };
  const budget = { namespace: 'default', selector: { matchLabels: guarded }, disruptionsAllowed: 0 };
  const nodes = () => [node({ name: 'a', cpu: '1' }), node({ name: 'b', cpu: '1' })];
  const preemptor = () => pod({ cpu: '1', priority: 100 });

  it('prefers a node whose victims no budget protects, even when their priority is higher', () => {
    const view = snapshot(nodes(), {
      a: [pod({ cpu: '1', priority: 1, labels: guarded })],
      b: [pod({ cpu: '1', priority: 5 })],
    });
    const withBudget = placeWith(defaultProfile('default-scheduler', { budgets: () => [budget] }), view, preemptor());
    expect(withBudget.kind === 'unschedulable' && withBudget.nominatedNode).toBe('b');
    // Without the budget the lower-priority victim on a goes first.
    const without = placeWith(defaultProfile(), view, preemptor());
    expect(without.kind === 'unschedulable' && without.nominatedNode).toBe('a');
  });

  it('still preempts when every candidate breaks a budget', () => {
    const view = snapshot(nodes(), {
      a: [pod({ cpu: '1', priority: 1, labels: guarded })],
      b: [pod({ cpu: '1', priority: 1, labels: guarded })],
    });
    const result = placeWith(defaultProfile('default-scheduler', { budgets: () => [budget] }), view, preemptor());
    expect(result.kind === 'unschedulable' && result.victims?.length).toBe(1);
  });
});
