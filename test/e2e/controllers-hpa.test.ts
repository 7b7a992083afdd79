/**
 * The HorizontalPodAutoscaler through real kubectl against `wharf up` (sync period shortened to 2 s):
 * `kubectl autoscale` on a Deployment of 2 pods requesting 100m CPU. The simulated containers use 60–100 %
 * of their request, so a 50 % target scales up; a 300 % target with no scale-down stabilisation scales
 * back to the minimum.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { kubectlFor, until } from './controllers-kubectl.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 3, extraArgs: ['--horizontal-pod-autoscaler-sync-period', '2s'] });
}, 60_000);
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

interface HPA {
  status?: { currentReplicas?: number; desiredReplicas?: number; currentMetrics?: unknown[] };
}

describe('kubectl autoscale', () => {
  const k = kubectlFor('1.35', () => wharf.kubeconfig);
  const old = kubectlFor('1.27', () => wharf.kubeconfig);
  const ns = 'hpa-e2e';

  beforeAll(async () => {
    await k.ok('create', 'namespace', ns);
    await k.ok('-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
    await k.ok('-n', ns, 'set', 'resources', 'deployment', 'web', '--requests=cpu=100m');
    await k.ok('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');
  });

  it('scales a Deployment up while CPU is above target; get shows the targets, describe the events', async () => {
    expect(await k.ok('-n', ns, 'autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=4')).toContain(
      'horizontalpodautoscaler.autoscaling/web autoscaled',
    );
    // The table is judged on its own: a separate JSON read a moment later may already see the scale-up
    // that this table predates.
    const table = await until(async () => {
      const out = await k.ok('-n', ns, 'get', 'hpa', 'web');
      expect(out).toMatch(/^web\s+Deployment\/web\s+cpu: \d+%\/50%\s+1\s+4\s+4\s+/m);
      return out;
    }, 90_000);
    expect(table).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/m);
    const hpa = await k.json<HPA>('-n', ns, 'get', 'hpa', 'web');
    expect(hpa.status?.currentReplicas).toBe(4);
    const utilization = Number(/cpu: (\d+)%/.exec(table)?.[1]);
    expect(utilization).toBeGreaterThanOrEqual(50);

    await until(async () => {
      const d = await k.json<{ status?: { readyReplicas?: number } }>('-n', ns, 'get', 'deployment', 'web');
      expect(d.status?.readyReplicas).toBe(4);
    }, 60_000);
    const described = await k.ok('-n', ns, 'describe', 'hpa', 'web');
    expect(described).toMatch(/Reference:\s+Deployment\/web/);
    expect(described).toMatch(/Min replicas:\s+1/);
    expect(described).toMatch(/Max replicas:\s+4/);
    expect(described).toMatch(/AbleToScale\s+True/);
    expect(described).toMatch(/ScalingActive\s+True\s+ValidMetricFound/);
    expect(described).toMatch(
      /SuccessfulRescale\s+.*New size: [34]; reason: cpu resource utilization \(percentage of request\) above target/,
    );
    // An older kubectl reads the same object (served as autoscaling/v2, or v1 for kubectl get hpa -o of old clients).
    expect(await old.ok('-n', ns, 'get', 'hpa', 'web')).toMatch(/^web\s+Deployment\/web\s+cpu: \d+%\/50%/m);
  }, 180_000);

  it('scales back to the minimum when usage falls below target, without stabilisation', async () => {
    await k.ok(
      '-n',
      ns,
      'patch',
      'hpa',
      'web',
      '--type=merge',
      '-p',
      JSON.stringify({
        spec: {
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 300 } } },
          ],
          behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
        },
      }),
    );
    await until(async () => {
      const hpa = await k.json<HPA>('-n', ns, 'get', 'hpa', 'web');
      expect(hpa.status?.desiredReplicas).toBe(1);
      const d = await k.json<{ spec: { replicas: number } }>('-n', ns, 'get', 'deployment', 'web');
      expect(d.spec.replicas).toBe(1);
    }, 60_000);
    const described = await k.ok('-n', ns, 'describe', 'hpa', 'web');
    expect(described).toMatch(/SuccessfulRescale\s+.*New size: 1; reason: All metrics below target/);
  }, 120_000);
});
