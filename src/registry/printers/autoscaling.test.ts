import { describe, expect, it } from 'vitest';
import { horizontalPodAutoscalerPrinter } from './autoscaling.ts';
import { cells, object } from './testing.ts';

const resource = (name: string, target: Record<string, unknown>) => ({ type: 'Resource', resource: { name, target } });

describe('horizontal pod autoscaler printer', () => {
  it('prints reference, replicas and utilization targets with current values', () => {
    const autoscaler = object('HorizontalPodAutoscaler', {
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          resource('cpu', { type: 'Utilization', averageUtilization: 80 }),
          resource('memory', { type: 'AverageValue', averageValue: '200Mi' }),
        ],
      },
      status: {
        currentReplicas: 3,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45 } } }],
      },
    });
    expect(cells(horizontalPodAutoscalerPrinter, autoscaler)).toMatchObject({
      Reference: 'Deployment/web',
      Targets: 'cpu: 45%/80%, memory: <unknown>/200Mi',
      MinPods: '2',
      MaxPods: 10,
      Replicas: 3,
    });
  });

  it('reads the autoscaling/v1 CPU percentage and truncates after two metrics', () => {
    const v1 = object('HorizontalPodAutoscaler', {
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, targetCPUUtilizationPercentage: 50 },
    });
    expect(cells(horizontalPodAutoscalerPrinter, v1)).toMatchObject({
      Targets: 'cpu: <unknown>/50%',
      MinPods: '<unset>',
    });
    const many = object('HorizontalPodAutoscaler', {
      spec: {
        metrics: [{ type: 'Pods', pods: { target: { averageValue: '1k' } } }, resource('cpu', {}), { type: 'Weird' }],
      },
    });
    expect(cells(horizontalPodAutoscalerPrinter, many).Targets).toBe('<unknown>/1k, cpu: <unknown>/<auto> + 1 more...');
    expect(cells(horizontalPodAutoscalerPrinter, object('HorizontalPodAutoscaler')).Targets).toBe('<none>');
  });
});
