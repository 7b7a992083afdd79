import { describe, expect, it } from 'vitest';
import type { ScorePlugin } from '../framework.ts';
import { newCycleContext } from '../schedule-one.ts';
import { node, pod, snapshot } from '../testing/builders.ts';
import type { Pod } from '../types.ts';
import * as balancedAllocation from './balanced-allocation.ts';
import * as nodeResourcesFit from './node-resources-fit.ts';

/** The raw score of one node for a pod, with `placed` already on it. */
function scoreOn(plugin: ScorePlugin, incoming: Pod, placed: Pod[], extra: Record<string, string> = {}): number {
  const view = snapshot([node({ name: 'n', cpu: '4', memory: '16Gi', extra })], { n: placed });
  return plugin.score(newCycleContext(view, incoming), incoming, view.infos[0] as (typeof view.infos)[number]);
}

describe('NodeResourcesBalancedAllocation', () => {
  const plugin = balancedAllocation.create();

  it('scores 100 when cpu and memory would be used in the same fraction', () => {
    // 2 of 4 cpus and 8 of 16 GiB after placing the pod.
    expect(scoreOn(plugin, pod({ cpu: '1', memory: '4Gi' }), [pod({ cpu: '1', memory: '4Gi' })])).toBe(100);
  });

  it('loses half the difference between the two fractions', () => {
    // cpu 2/4 = 0.5, memory 4/16 = 0.25: (1 − 0.25/2) × 100.
    expect(scoreOn(plugin, pod({ cpu: '1', memory: '2Gi' }), [pod({ cpu: '1', memory: '2Gi' })])).toBe(87);
    // Overcommitted use counts as full: cpu 1, memory 0.125.
    expect(scoreOn(plugin, pod({ cpu: '3', memory: '1Gi' }), [pod({ cpu: '3', memory: '1Gi' })])).toBe(56);
  });

  it('skips a pod that requests neither cpu nor memory', () => {
    const view = snapshot([node({ name: 'n' })]);
    const bestEffort = pod();
    expect(plugin.preScore(newCycleContext(view, bestEffort), bestEffort, view.infos).code).toBe('Skip');
    const burstable = pod({ memory: '1Gi' });
    expect(plugin.preScore(newCycleContext(view, burstable), burstable, view.infos).code).toBe('Success');
  });
});

describe('NodeResourcesFit scoring (LeastAllocated)', () => {
  const plugin = nodeResourcesFit.create();

  it('averages the share of cpu and memory left free after placing the pod', () => {
    // cpu (4 − 2)/4 = 50, memory (16 − 4)/16 = 75.
    expect(scoreOn(plugin, pod({ cpu: '1', memory: '2Gi' }), [pod({ cpu: '1', memory: '2Gi' })])).toBe(62);
  });

  it('counts a pod without requests as 100m of cpu and 200Mi of memory, so such pods still spread', () => {
    // cpu (4000 − 100)/4000 → 97, memory (16384 − 200)/16384 → 98, each floored as kube-scheduler does.
    expect(scoreOn(plugin, pod(), [])).toBe(97);
    expect(scoreOn(plugin, pod(), [pod(), pod(), pod(), pod()])).toBeLessThan(scoreOn(plugin, pod(), []));
  });

  it('scores 0 for a resource already over its allocatable', () => {
    // cpu over (0), memory (16 − 2)/16 = 87.5.
    expect(scoreOn(plugin, pod({ cpu: '1', memory: '1Gi' }), [pod({ cpu: '4', memory: '1Gi' })])).toBe(43);
  });
});

describe('NodeResourcesFit scoring strategies (pluginConfig scoringStrategy)', () => {
  const half = () => pod({ cpu: '1', memory: '2Gi' });
  const strategy = (scoringStrategy: nodeResourcesFit.ScoringStrategy) => nodeResourcesFit.create({ scoringStrategy });

  it('MostAllocated scores the share in use, so pods pack onto busy nodes', () => {
    // cpu 2/4 → 50, memory 4/16 → 25.
    expect(scoreOn(strategy({ type: 'MostAllocated' }), half(), [half()])).toBe(37);
    expect(scoreOn(strategy({ type: 'MostAllocated' }), half(), [])).toBeLessThan(37);
  });

  it('weighs each resource by its weight', () => {
    const weighted = strategy({
      type: 'MostAllocated',
      resources: [
        { name: 'cpu', weight: 3 },
        { name: 'memory', weight: 1 },
      ],
    });
    expect(scoreOn(weighted, half(), [half()])).toBe(43);
  });

  it('RequestedToCapacityRatio follows its shape, scaled from 0..10 to 0..100, and rounds', () => {
    const shape = (points: [number, number][]) =>
      strategy({
        type: 'RequestedToCapacityRatio',
        requestedToCapacityRatio: { shape: points.map(([utilization, score]) => ({ utilization, score })) },
      });
    // Utilization cpu 50 %, memory 25 %.
    expect(
      scoreOn(
        shape([
          [0, 0],
          [100, 10],
        ]),
        half(),
        [half()],
      ),
    ).toBe(38);
    expect(
      scoreOn(
        shape([
          [0, 10],
          [100, 0],
        ]),
        half(),
        [half()],
      ),
    ).toBe(63);
  });

  it('scores an extended resource only for pods that ask for it', () => {
    const gpu = (n: string, cpu = '1') =>
      pod({ containers: [{ name: 'c', resources: { requests: { cpu, 'example.com/gpu': n } } }] });
    const withGpu = strategy({
      type: 'LeastAllocated',
      resources: [
        { name: 'cpu', weight: 1 },
        { name: 'example.com/gpu', weight: 1 },
      ],
    });
    const extra = { 'example.com/gpu': '4' };
    // cpu (4 − 2)/4 → 50, gpu (4 − 4)/4 → 0.
    expect(scoreOn(withGpu, gpu('1'), [gpu('3')], extra)).toBe(25);
    // A pod without a gpu request is scored on cpu alone.
    expect(scoreOn(withGpu, pod({ cpu: '1' }), [gpu('3')], extra)).toBe(50);
  });
});
