/** Printer for HorizontalPodAutoscaler, reading both the autoscaling/v2 and the older v1 shape. */
import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { type Fields, integer, optionalInteger, quantity, record, records, text } from './fields.ts';

export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    nameColumn,
    column('Reference', 'string', 'The scaled object, as Kind/name.'),
    column('Targets', 'string', 'Current value of each metric out of its target.'),
    column('MinPods', 'string', 'The lowest replica count the autoscaler sets.'),
    column('MaxPods', 'string', 'The highest replica count the autoscaler sets.'),
    column('Replicas', 'string', 'The replica count the autoscaler saw last.'),
    ageColumn,
  ],
  row(autoscaler, now) {
    const spec = record(autoscaler, 'spec');
    const minReplicas = optionalInteger(spec, 'minReplicas');
    return [
      text(autoscaler, 'metadata', 'name'),
      `${text(spec, 'scaleTargetRef', 'kind')}/${text(spec, 'scaleTargetRef', 'name')}`,
      targets(autoscaler),
      minReplicas === undefined ? '<unset>' : String(minReplicas),
      integer(spec, 'maxReplicas'),
      integer(autoscaler, 'status', 'currentReplicas'),
      age(autoscaler, now),
    ];
  },
};

/** Metric specs and statuses in v2 terms; v1's CPU percentage becomes one Resource metric, as conversion does. */
function metricsOf(autoscaler: unknown): { specs: Fields[]; statuses: Fields[] } {
  const spec = record(autoscaler, 'spec');
  const status = record(autoscaler, 'status');
  const targetCPU = optionalInteger(spec, 'targetCPUUtilizationPercentage');
  if (targetCPU === undefined) return { specs: records(spec, 'metrics'), statuses: records(status, 'currentMetrics') };
  const currentCPU = optionalInteger(status, 'currentCPUUtilizationPercentage');
  return {
    specs: [{ type: 'Resource', resource: { name: 'cpu', target: { averageUtilization: targetCPU } } }],
    statuses:
      currentCPU === undefined ? [] : [{ type: 'Resource', resource: { current: { averageUtilization: currentCPU } } }],
  };
}

/** At most this many metrics are listed, then ` + N more...`. */
const shownMetrics = 2;

/** `cpu: 45%/80%, memory: 100Mi/200Mi + 1 more...`; <unknown> until a current value is reported. */
function targets(autoscaler: unknown): string {
  const { specs, statuses } = metricsOf(autoscaler);
  if (specs.length === 0) return '<none>';
  const entries = specs.map((metric, index) => metricEntry(metric, statuses[index]));
  const shown = entries.slice(0, shownMetrics).join(', ');
  return entries.length > shownMetrics ? `${shown} + ${entries.length - shownMetrics} more...` : shown;
}

/** Which member of a MetricSpec/MetricStatus holds the source, by metric type. */
const sourceField: Readonly<Record<string, string>> = {
  External: 'external',
  Pods: 'pods',
  Object: 'object',
  Resource: 'resource',
  ContainerResource: 'containerResource',
};

function metricEntry(metric: Fields, status: Fields | undefined): string {
  const field = sourceField[text(metric, 'type')];
  if (field === undefined) return '<unknown type>';
  const target = record(metric, field, 'target');
  const current = status === undefined ? undefined : record(status, field, 'current');
  const hasStatus = status !== undefined && Object.keys(record(status, field)).length > 0;
  const currentOf = (key: string) => (hasStatus && current ? quantity(current, key) : undefined) ?? '<unknown>';
  const isResource = field === 'resource' || field === 'containerResource';
  const prefix = isResource ? `${text(metric, field, 'name')}: ` : '';

  if (field === 'pods') return `${currentOf('averageValue')}/${quantity(target, 'averageValue') ?? '0'}`;
  if (quantity(target, 'averageValue') !== undefined) {
    const suffix = isResource ? '' : ' (avg)';
    return `${prefix}${currentOf('averageValue')}/${quantity(target, 'averageValue')}${suffix}`;
  }
  if (isResource) {
    const utilization = hasStatus && current ? optionalInteger(current, 'averageUtilization') : undefined;
    const wanted = optionalInteger(target, 'averageUtilization');
    return `${prefix}${utilization === undefined ? '<unknown>' : `${utilization}%`}/${wanted === undefined ? '<auto>' : `${wanted}%`}`;
  }
  return `${currentOf('value')}/${quantity(target, 'value') ?? '0'}`;
}
