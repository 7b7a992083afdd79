/**
 * Pod samples of one resource from metrics.k8s.io/v1beta1 PodMetrics, as the HPA's resource metrics
 * client reads them: one list per namespace and selector, the usage of all of a pod's containers
 * summed, a pod with any container lacking the resource left out (it then counts as "missing").
 */
import type { KubeClient, ResourceRef } from '../../client/types.ts';
import { toMilli } from '../../quantity.ts';
import type { KubeObject } from '../../types/meta.ts';
import type { PodMetric } from './types.ts';

interface PodMetrics extends KubeObject {
  timestamp?: string;
  window?: string;
  containers?: { name: string; usage?: Record<string, string> }[];
}

export const podMetricsRef: ResourceRef<PodMetrics> = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'PodMetrics',
  plural: 'pods',
  namespaced: true,
};

/** `15s`, `1m30s` → ms; metrics-server writes Go durations. */
function durationMs(text: string | undefined): number {
  if (!text) return 0;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'] ?? 0);
  }
  return total;
}

export type ResourceMetricsSource = (
  namespace: string,
  selector: string,
  resource: string,
) => Promise<Map<string, PodMetric>>;

export function resourceMetricsFrom(client: KubeClient): ResourceMetricsSource {
  const api = client.resource(podMetricsRef);
  return async (namespace, selector, resource) => {
    let items: PodMetrics[];
    try {
      items = (await api.list({ namespace, labelSelector: selector })).items;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(
        `unable to get metrics for resource ${resource}: unable to fetch metrics from resource metrics API: ${why}`,
      );
    }
    if (items.length === 0) {
      throw new Error(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
    }
    const samples = new Map<string, PodMetric>();
    for (const item of items) {
      const containers = item.containers ?? [];
      if (containers.length === 0 || containers.some((c) => c.usage?.[resource] === undefined)) continue;
      samples.set(item.metadata.name ?? '', {
        value: containers.reduce((sum, c) => sum + toMilli(c.usage?.[resource]), 0),
        timestamp: Date.parse(item.timestamp ?? '') || 0,
        windowMs: durationMs(item.window),
      });
    }
    return samples;
  };
}
