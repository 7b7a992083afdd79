import { describe, expect, it } from 'vitest';
import type { Pod, PodPhase } from '../../nodes/api-types.ts';
import { groupPods, podRequests, resourceReplicas } from './replica-calculator.ts';
import type { PodMetric } from './types.ts';

const now = Date.parse('2026-01-01T01:00:00Z');
const longAgo = '2026-01-01T00:00:00Z';

function pod(
  name: string,
  o: {
    cpu?: string;
    phase?: PodPhase;
    ready?: boolean;
    startedAt?: string;
    readySince?: string;
    deleting?: boolean;
  } = {},
): Pod {
  const started = o.startedAt ?? longAgo;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(o.deleting ? { deletionTimestamp: longAgo } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: o.cpu ?? '100m' } } }] },
    status: {
      phase: o.phase ?? 'Running',
      startTime: started,
      conditions: [
        { type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? started },
      ],
    },
  };
}

const sample = (value: number, at = now - 5_000): PodMetric => ({ value, timestamp: at, windowMs: 15_000 });
const samples = (entries: Record<string, number>) =>
  new Map(Object.entries(entries).map(([name, value]) => [name, sample(value)]));

const replicas = (
  pods: Pod[],
  metrics: Map<string, PodMetric>,
  target: { utilization?: number; averageValue?: number },
  currentReplicas = pods.length,
) => resourceReplicas({ currentReplicas, resource: 'cpu', target, pods, metrics, now });

describe('HPA replica calculation', () => {
  it('scales by the utilisation ratio, rounding up', () => {
    const pods = [pod('a'), pod('b')];
    expect(replicas(pods, samples({ a: 80, b: 80 }), { utilization: 50 })).toEqual({
      replicas: 4,
      utilization: 80,
      rawAverage: 80,
    });
    expect(replicas(pods, samples({ a: 10, b: 20 }), { utilization: 50 }).replicas).toBe(1);
  });

  it('keeps the current count within the 10 % tolerance', () => {
    const pods = [pod('a'), pod('b'), pod('c')];
    expect(replicas(pods, samples({ a: 54, b: 54, c: 54 }), { utilization: 50 }).replicas).toBe(3);
    expect(replicas(pods, samples({ a: 56, b: 56, c: 56 }), { utilization: 50 }).replicas).toBe(4);
  });

  it('counts a pod without a sample as idle on a scale-up', () => {
    const pods = [pod('a'), pod('b'), pod('c')];
    // 90+90+0 over 300 is 60 % of request: ratio 1.2, ceil(1.2 × 3) = 4.
    expect(replicas(pods, samples({ a: 90, b: 90 }), { utilization: 50 })).toMatchObject({
      replicas: 4,
      utilization: 90,
    });
  });

  it('counts a pod without a sample as using its request on a scale-down', () => {
    const pods = [pod('a'), pod('b'), pod('c'), pod('d')];
    // (10+10+10+100)/400 = 32 % of request against 50 %: ceil(0.65 × 4) = 3, not the 1 the samples alone give.
    expect(replicas(pods, samples({ a: 10, b: 10, c: 10 }), { utilization: 50 }).replicas).toBe(3);
  });

  it('holds when the assumed usage of missing pods reverses the direction', () => {
    const pods = [pod('a'), pod('b'), pod('c'), pod('d')];
    // Samples alone: 60 % (up); with two idle missing pods: 30 % (down) → no change.
    expect(replicas(pods, samples({ a: 60, b: 60 }), { utilization: 50 }).replicas).toBe(4);
  });

  it('ignores Pending pods and fresh CPU samples, but counts them as idle on a scale-up', () => {
    const fresh = new Date(now - 10_000).toISOString();
    const pods = [pod('a'), pod('b', { phase: 'Pending' }), pod('c', { startedAt: fresh, readySince: fresh })];
    const groups = groupPods(pods, samples({ a: 100, c: 100 }), 'cpu', now);
    expect([...groups.unready].sort()).toEqual(['b', 'c']);
    expect(groups.readyPodCount).toBe(1);
    // a alone: 100 % against 50 % (up); with b and c idle: 33 % → a reversal, so nothing changes.
    expect(replicas(pods, samples({ a: 100, c: 100 }), { utilization: 50 }).replicas).toBe(3);
  });

  it('leaves deleted and failed pods out entirely', () => {
    const pods = [pod('a'), pod('b', { deleting: true }), pod('c', { phase: 'Failed' })];
    expect(replicas(pods, samples({ a: 100, b: 0, c: 0 }), { utilization: 50 }, 1).replicas).toBe(2);
  });

  it('scales on an average value per pod', () => {
    const pods = [pod('a'), pod('b')];
    expect(replicas(pods, samples({ a: 300, b: 300 }), { averageValue: 200 })).toEqual({
      replicas: 3,
      rawAverage: 300,
    });
  });

  it('says which container lacks a request, and when no pod has a sample', () => {
    const bare: Pod = { ...pod('a'), spec: { containers: [{ name: 'app', image: 'nginx' }] } };
    expect(() => podRequests([bare], 'cpu')).toThrow('missing request for cpu in container app of Pod a');
    expect(() => replicas([pod('a', { phase: 'Pending' })], samples({}), { utilization: 50 })).toThrow(
      'did not receive metrics for targeted pods (pods might be unready)',
    );
    expect(() => replicas([], samples({}), { utilization: 50 })).toThrow('no pods returned by selector');
  });
});
