/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it behind the kube-aggregator: read-only NodeMetrics
 * and PodMetrics (verbs get and list, no singular name, as its discovery document shows). They are not
 * stored: `withMetricsApi` adds them to the table the API layer routes and discovers by, in front of the
 * registry's own, the way an APIService adds a group to kube-apiserver.
 */
import type { ResourceDef, ResourceTable } from '../registry/types.ts';

export const metricsGroup = 'metrics.k8s.io';
export const metricsVersion = 'v1beta1';

const readOnly = ['get', 'list'] as const;

export const nodeMetricsDef: ResourceDef = {
  group: metricsGroup,
  version: metricsVersion,
  kind: 'NodeMetrics',
  plural: 'nodes',
  singular: '',
  namespaced: false,
  verbs: readOnly,
  strategy: {},
};

export const podMetricsDef: ResourceDef = {
  group: metricsGroup,
  version: metricsVersion,
  kind: 'PodMetrics',
  plural: 'pods',
  singular: '',
  namespaced: true,
  verbs: readOnly,
  strategy: {},
};

export const metricsResources: readonly ResourceDef[] = [nodeMetricsDef, podMetricsDef];

export const isMetricsResource = (def: ResourceDef): boolean => def.group === metricsGroup;

/** `table` plus the metrics API; its own changes (CRDs) still reach the listeners. */
export function withMetricsApi(table: ResourceTable): ResourceTable {
  let combined: readonly ResourceDef[] | undefined;
  table.onChange(() => {
    combined = undefined;
  });
  const find = (group: string, version: string, test: (d: ResourceDef) => boolean) =>
    group === metricsGroup ? metricsResources.find((d) => d.version === version && test(d)) : undefined;
  return {
    all: () => {
      combined ??= [...table.all(), ...metricsResources];
      return combined;
    },
    lookup: (group, version, plural) =>
      table.lookup(group, version, plural) ?? find(group, version, (d) => d.plural === plural),
    byKind: (group, version, kind) =>
      table.byKind(group, version, kind) ?? find(group, version, (d) => d.kind === kind),
    onChange: (listener) => table.onChange(listener),
  };
}
