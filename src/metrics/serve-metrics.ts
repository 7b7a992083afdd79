/**
 * GET and LIST of metrics.k8s.io NodeMetrics and PodMetrics, computed per request from the Nodes and
 * running Pods the registry holds (no store of their own, like metrics-server's in-memory scrape).
 * Errors are metrics-server's: `nodemetrics.metrics.k8s.io "x" not found` for a node without a sample.
 */
import type { Node, Pod } from '../nodes/api-types.ts';
import type { Registry, RequestContext, ResourceDef } from '../registry/types.ts';
import { isStatusError, notFound } from '../status.ts';
import type { KubeList, KubeObject } from '../types/meta.ts';
import { isScrapable, toNodeMetrics, toPodMetrics } from './metrics-objects.ts';
import { metricsGroup, metricsVersion } from './resources.ts';

export interface MetricsRequest {
  registry: Registry;
  def: ResourceDef;
  namespace: string | undefined;
  /** Undefined for a list. */
  name: string | undefined;
  labelSelector?: string;
  fieldSelector?: string;
  context: RequestContext;
  now: number;
}

const running = 'status.phase=Running';
const and = (...selectors: (string | undefined)[]) => selectors.filter(Boolean).join(',');

function coreDef(registry: Registry, plural: string): ResourceDef {
  const def = registry.resources.lookup('', 'v1', plural);
  if (!def) throw new Error(`core/v1 ${plural} is not served`);
  return def;
}

async function getOrUndefined(r: MetricsRequest, plural: string, namespace?: string): Promise<unknown> {
  try {
    return await r.registry.get(coreDef(r.registry, plural), namespace, r.name ?? '', {}, r.context);
  } catch (err) {
    if (isStatusError(err) && err.code === 404) return undefined;
    throw err;
  }
}

function list(kind: string, items: KubeObject[]): KubeList {
  return { kind: `${kind}List`, apiVersion: `${metricsGroup}/${metricsVersion}`, metadata: {}, items };
}

/** The NodeMetrics or PodMetrics object, or its list. */
export async function readMetrics(r: MetricsRequest): Promise<KubeObject | KubeList> {
  const pods = coreDef(r.registry, 'pods');
  const missing = () =>
    notFound({ group: metricsGroup, resource: `${r.def.plural === 'nodes' ? 'node' : 'pod'}metrics` }, r.name ?? '');
  if (r.def.kind === 'NodeMetrics') {
    if (r.name !== undefined) {
      const node = (await getOrUndefined(r, 'nodes')) as Node | undefined;
      if (!node || !isScrapable(node)) throw missing();
      const onNode = await r.registry.list(
        pods,
        undefined,
        { fieldSelector: and(`spec.nodeName=${r.name}`, running) },
        r.context,
      );
      return toNodeMetrics(node, onNode.items as Pod[], r.now);
    }
    const listOptions = {
      ...(r.labelSelector ? { labelSelector: r.labelSelector } : {}),
      ...(r.fieldSelector ? { fieldSelector: r.fieldSelector } : {}),
    };
    const [nodes, runningPods] = await Promise.all([
      r.registry.list(coreDef(r.registry, 'nodes'), undefined, listOptions, r.context),
      r.registry.list(pods, undefined, { fieldSelector: running }, r.context),
    ]);
    const byNode = new Map<string, Pod[]>();
    for (const pod of runningPods.items as Pod[]) {
      const nodeName = pod.spec?.nodeName ?? '';
      const onNode = byNode.get(nodeName);
      if (onNode) onNode.push(pod);
      else byNode.set(nodeName, [pod]);
    }
    const items = (nodes.items as Node[])
      .filter(isScrapable)
      .map((node) => toNodeMetrics(node, byNode.get(node.metadata.name ?? '') ?? [], r.now));
    return list('NodeMetrics', items);
  }
  if (r.name !== undefined) {
    const pod = (await getOrUndefined(r, 'pods', r.namespace)) as Pod | undefined;
    const metrics = pod && toPodMetrics(pod, r.now);
    if (!metrics) throw missing();
    return metrics;
  }
  const selected = await r.registry.list(
    pods,
    r.namespace,
    { ...(r.labelSelector ? { labelSelector: r.labelSelector } : {}), fieldSelector: and(r.fieldSelector, running) },
    r.context,
  );
  const items = (selected.items as Pod[]).flatMap((pod) => toPodMetrics(pod, r.now) ?? []);
  return list('PodMetrics', items);
}
