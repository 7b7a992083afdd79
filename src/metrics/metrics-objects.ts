/**
 * NodeMetrics and PodMetrics objects as metrics-server writes them: usage in nanocores and Ki, the
 * sample's timestamp and window, and the labels of the node or pod they describe (kubectl top -l
 * selects on them). creationTimestamp is the time of the request, since nothing is stored.
 */
import type { Node, Pod } from '../nodes/api-types.ts';
import { nodeUsage, podUsage, sampleTime, sampleWindowMs, type Usage } from '../nodes/usage-model.ts';
import type { KubeObject } from '../types/meta.ts';
import { metricsGroup, metricsVersion } from './resources.ts';

const apiVersion = `${metricsGroup}/${metricsVersion}`;
const window = `${sampleWindowMs / 1000}s`;

const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** `{ cpu: '123456789n', memory: '204800Ki' }`. */
export function usageQuantities(usage: Usage): { cpu: string; memory: string } {
  return { cpu: `${Math.round(usage.cpuNanoCores)}n`, memory: `${Math.round(usage.memoryBytes / 1024)}Ki` };
}

function metadataOf(object: KubeObject, now: number): KubeObject['metadata'] {
  const metadata: KubeObject['metadata'] = { name: object.metadata.name ?? '' };
  if (object.metadata.namespace) metadata.namespace = object.metadata.namespace;
  metadata.creationTimestamp = rfc3339(now);
  if (object.metadata.labels) metadata.labels = object.metadata.labels;
  return metadata;
}

/** Only nodes whose kubelet reports Ready are scraped, as metrics-server skips unreachable ones. */
export function isScrapable(node: Readonly<Node>): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function toNodeMetrics(node: Readonly<Node>, podsOnNode: readonly Readonly<Pod>[], now: number): KubeObject {
  return {
    kind: 'NodeMetrics',
    apiVersion,
    metadata: metadataOf(node, now),
    timestamp: rfc3339(sampleTime(now)),
    window,
    usage: usageQuantities(nodeUsage(node, podsOnNode, now)),
  };
}

/** Undefined for a pod with no running container: metrics-server has no sample for it. */
export function toPodMetrics(pod: Readonly<Pod>, now: number): KubeObject | undefined {
  const containers = podUsage(pod, now);
  if (containers.length === 0) return undefined;
  return {
    kind: 'PodMetrics',
    apiVersion,
    metadata: metadataOf(pod, now),
    timestamp: rfc3339(sampleTime(now)),
    window,
    containers: containers.map((c) => ({ name: c.name, usage: usageQuantities(c) })),
  };
}
