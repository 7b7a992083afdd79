/**
 * autoscaling/v1 HorizontalPodAutoscaler ↔ autoscaling/v2 (the storage version). v1 only knows a CPU
 * utilization target; v2 expresses it as one Resource metric, as pkg/apis/autoscaling/v1 conversion does.
 */
import type { KubeObject } from '../../types/meta.ts';

type Metric = { type?: string; resource?: { name?: string; target?: { averageUtilization?: number } } };
type CurrentMetric = { type?: string; resource?: { name?: string; current?: { averageUtilization?: number } } };
type Fields = Record<string, unknown>;

export function autoscalerV1ToV2(object: KubeObject): KubeObject {
  const { targetCPUUtilizationPercentage, ...spec } = (object.spec ?? {}) as Fields;
  const { currentCPUUtilizationPercentage, ...status } = (object.status ?? {}) as Fields;
  if (typeof targetCPUUtilizationPercentage === 'number') {
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCPUUtilizationPercentage } },
      },
    ];
  }
  if (typeof currentCPUUtilizationPercentage === 'number') {
    status.currentMetrics = [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCPUUtilizationPercentage } } },
    ];
  }
  const out: KubeObject = { ...object, apiVersion: 'autoscaling/v2', spec };
  if (object.status !== undefined) out.status = status;
  return out;
}

export function autoscalerV2ToV1(object: KubeObject): KubeObject {
  const { metrics, behavior: _dropped, ...spec } = (object.spec ?? {}) as Fields;
  const { currentMetrics, conditions: _c, ...status } = (object.status ?? {}) as Fields;
  const cpu = (metrics as Metric[] | undefined)?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  if (cpu?.resource?.target?.averageUtilization !== undefined) {
    spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  }
  const current = (currentMetrics as CurrentMetric[] | undefined)?.find((m) => m.resource?.name === 'cpu');
  if (current?.resource?.current?.averageUtilization !== undefined) {
    status.currentCPUUtilizationPercentage = current.resource.current.averageUtilization;
  }
  const out: KubeObject = { ...object, apiVersion: 'autoscaling/v1', spec };
  if (object.status !== undefined) out.status = status;
  return out;
}
