import { describe, expect, it } from 'vitest';
import type { PluginStatus } from '../framework.ts';
import { newCycleContext, scheduleOne } from '../schedule-one.ts';
import { node, pod, snapshot } from '../testing/builders.ts';
import type { Pod } from '../types.ts';
import { defaultProfile } from './index.ts';
import * as podTopologySpread from './pod-topology-spread.ts';

const zone = 'topology.kubernetes.io/zone';
const host = (name: string, zoneName?: string) =>
  node({ name, labels: { 'kubernetes.io/hostname': name, ...(zoneName ? { [zone]: zoneName } : {}) } });
const app = { app: 'web' };
const appPods = (n: number) => Array.from({ length: n }, () => pod({ labels: app }));

/** PreScore, Score and NormalizeScore of one plugin over every node, as the framework runs them. */
function scores(plugin: ReturnType<typeof podTopologySpread.create>, p: Pod, view: ReturnType<typeof snapshot>) {
  const context = newCycleContext(view, p);
  if (plugin.preScore(context, p, view.infos).code === 'Skip') return 'skip';
  const raw = view.infos.map((n) => plugin.score(context, p, n));
  plugin.normalize?.(context, p, raw);
  return raw;
}

function filters(plugin: ReturnType<typeof podTopologySpread.create>, p: Pod, view: ReturnType<typeof snapshot>) {
  const context = newCycleContext(view, p);
  if (plugin.preFilter(context, p).code === 'Skip') return 'skip';
  return view.infos.map((n) => (plugin.filter(context, p, n) as PluginStatus).code);
}

describe('PodTopologySpread scoring', () => {
  it("weighs counts by log(domains + 2) and scores a node without the key 0, as kube-scheduler's", () => {
    const view = snapshot([host('n0', 'zone-a'), host('n1', 'zone-b'), host('n2', 'zone-c'), node({ name: 'bare' })], {
      n0: appPods(2),
      n1: appPods(1),
    });
    const spread = {
      labels: app,
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: zone,
          whenUnsatisfiable: 'ScheduleAnyway' as const,
          labelSelector: { matchLabels: app },
        },
      ],
    };
    // Raw: 2·ln 5 → 3, 1·ln 5 → 2, 0; normalized 100·(max + min − s)/max.
    expect(scores(podTopologySpread.create(), pod(spread), view)).toEqual([0, 33, 100, 0]);
  });
});

describe('PodTopologySpread default constraints', () => {
  const selectsApp = () => ({ matchLabels: app });

  it('spreads a pod that something selects by hostname (maxSkew 3) and zone (maxSkew 5), the system defaults', () => {
    const view = snapshot([host('n0', 'zone-a'), host('n1', 'zone-b'), host('n2', 'zone-c'), host('nozone')], {
      n0: appPods(3),
    });
    const plugin = podTopologySpread.create({ defaultSelector: selectsApp });
    // n0: 3·ln 6 + 2 + 3·ln 5 + 4 → 16; n1, n2: 2 + 4; nozone keeps its hostname part (2) under the system
    // defaults instead of being ignored.
    expect(scores(plugin, pod({ labels: app }), view)).toEqual([12, 75, 75, 100]);
    // The system defaults never filter.
    expect(filters(plugin, pod({ labels: app }), view)).toBe('skip');
  });

  it('leaves alone a pod nothing selects, and a pod with constraints of its own', () => {
    const view = snapshot([host('n0', 'zone-a'), host('n1', 'zone-b')], { n0: appPods(3) });
    expect(scores(podTopologySpread.create({ defaultSelector: () => undefined }), pod({ labels: app }), view)).toBe(
      'skip',
    );
    const own = pod({
      labels: app,
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: zone, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: app } },
      ],
    });
    expect(scores(podTopologySpread.create({ defaultSelector: selectsApp }), own, view)).toBe('skip');
  });

  it('applies configured defaults (defaultingType List), DoNotSchedule ones in the filter', () => {
    const view = snapshot([host('n0', 'zone-a'), host('n1', 'zone-b')], { n0: appPods(1) });
    const plugin = podTopologySpread.create({
      defaultingType: 'List',
      defaultConstraints: [{ maxSkew: 1, topologyKey: zone, whenUnsatisfiable: 'DoNotSchedule' }],
      defaultSelector: selectsApp,
    });
    expect(filters(plugin, pod({ labels: app }), view)).toEqual(['Unschedulable', 'Success']);
    expect(
      filters(podTopologySpread.create({ defaultingType: 'List', defaultSelector: selectsApp }), pod(), view),
    ).toBe('skip');
  });

  it("changes where the scheduler puts a controller's pod once the profile knows what selects it", () => {
    // n0 holds three replicas using almost nothing; n1 one busy pod of something else. Resources alone
    // prefer n0; default spreading outweighs that.
    const nodes = [host('n0', 'zone-a'), host('n1', 'zone-b')];
    const placed = {
      n0: Array.from({ length: 3 }, () => pod({ labels: app, cpu: '10m', memory: '10Mi' })),
      n1: [pod({ cpu: '1500m', memory: '6Gi' })],
    };
    const replica = () => pod({ labels: app, cpu: '100m', memory: '100Mi' });
    const plain = scheduleOne(defaultProfile(), snapshot(nodes, placed), replica(), { nextStartIndex: 0 });
    expect(plain).toMatchObject({ node: 'n0' });
    const spreading = defaultProfile('default-scheduler', { defaultSpreadSelector: selectsApp });
    expect(scheduleOne(spreading, snapshot(nodes, placed), replica(), { nextStartIndex: 0 })).toMatchObject({
      node: 'n1',
    });
  });
});
