/**
 * metrics.k8s.io through the in-process client. Over HTTP the API layer answers that group from
 * src/metrics (it is not in the registry's table, as an aggregated API is not in kube-apiserver's);
 * in-process components such as the HPA controller must read the same numbers, so the local client
 * answers get and list from the same `readMetrics`, and refuses every other verb with 405 as the
 * read-only metrics API does.
 */
import { metricsResources } from '../metrics/resources.ts';
import { type MetricsRequest, readMetrics } from '../metrics/serve-metrics.ts';
import { methodNotAllowed } from '../status.ts';
import type { KubeList, KubeObject } from '../types/meta.ts';
import type { ResourceClient, ResourceRef } from './types.ts';

// The registry's types come through MetricsRequest: only local-client.ts may name them directly.
type MetricsDef = MetricsRequest['def'];

/** The metrics API definition `ref` names, if it names one. */
export function metricsDefOf(ref: ResourceRef): MetricsDef | undefined {
  return metricsResources.find((d) => d.group === ref.group && d.version === ref.version && d.plural === ref.plural);
}

export function localMetricsClient<T extends KubeObject>(
  registry: MetricsRequest['registry'],
  def: MetricsDef,
  context: () => MetricsRequest['context'],
  now: () => number,
): ResourceClient<T> {
  const refuse = async (): Promise<never> => {
    throw methodNotAllowed();
  };
  const read = (namespace: string | undefined, name: string | undefined, selectors: object = {}) =>
    readMetrics({ registry, def, namespace, name, context: context(), now: now(), ...selectors });
  return {
    get: async (name, namespace) => (await read(namespace, name)) as T,
    async list(o = {}) {
      const selectors = {
        ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
        ...(o.fieldSelector ? { fieldSelector: o.fieldSelector } : {}),
      };
      return (await read(o.namespace, undefined, selectors)) as KubeList<T>;
    },
    getSubresource: refuse,
    create: refuse,
    update: refuse,
    updateStatus: refuse,
    updateSubresource: refuse,
    patch: refuse,
    delete: refuse,
    deleteCollection: refuse,
    watch: () => ({
      [Symbol.asyncIterator]: () => ({ next: refuse }),
    }),
    createSubresource: refuse,
  };
}
