import { describe, expect, it } from 'vitest';
import type { Pod } from '../nodes/api-types.ts';
import { limitReplicas, replicasForUtilization, rescaleMessage, stabilized, utilizationOf } from './hpa.ts';

const pod = (cpu: string, usage?: number): { pod: Pod; usage: number | undefined } => ({
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p-${Math.random()}` },
    spec: { containers: [{ name: 'app', resources: { requests: { cpu } } }] },
  },
  usage,
});

describe('hpa arithmetic', () => {
  it('sums usage and requests of pods with metrics only', () => {
    const pods = [pod('500m', 0.5), pod('500m', 0.25), pod('500m')];
    const byPod = new Map(pods.map((p) => [p.pod, p.usage]));
    expect(
      utilizationOf(
        pods.map((p) => p.pod),
        'cpu',
        (p) => byPod.get(p),
      ),
    ).toEqual({ usage: 0.75, requests: 1 });
  });

  it('scales by the ratio to target, rounding up, and holds within the 10 % tolerance', () => {
    expect(replicasForUtilization(2, { usage: 1.6, requests: 1 }, 80, 2)).toEqual({ desired: 4, utilization: 160 });
    expect(replicasForUtilization(3, { usage: 0.85, requests: 1 }, 80, 3)).toEqual({ desired: 3, utilization: 85 });
    expect(replicasForUtilization(4, { usage: 0.2, requests: 1 }, 80, 4)).toEqual({ desired: 1, utilization: 20 });
  });

  it('keeps the highest recommendation of the stabilisation window', () => {
    const history = [
      { at: 0, replicas: 5 },
      { at: 200_000, replicas: 3 },
    ];
    expect(stabilized(history, 250_000, 300_000, 1)).toBe(5);
    expect(stabilized(history, 400_000, 300_000, 1)).toBe(3);
    expect(stabilized(history, 600_000, 300_000, 1)).toBe(1);
  });

  it('clamps to min and max with the ScalingLimited reasons', () => {
    expect(limitReplicas(12, 1, 10)).toMatchObject({ replicas: 10, condition: { reason: 'TooManyReplicas' } });
    expect(limitReplicas(0, 1, 10)).toMatchObject({ replicas: 1, condition: { reason: 'TooFewReplicas' } });
    expect(limitReplicas(5, 1, 10)).toMatchObject({
      replicas: 5,
      condition: { status: 'False', reason: 'DesiredWithinRange' },
    });
    expect(rescaleMessage(4, 'cpu', true)).toBe(
      'New size: 4; reason: cpu resource utilization (percentage of request) above target',
    );
  });
});
