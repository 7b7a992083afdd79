import {
  type FilterPlugin,
  maxNodeScore,
  type PreFilterPlugin,
  type ScorePlugin,
  success,
  unschedulable,
} from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';
import { nonZeroRequests, podRequests, type Requests } from '../pod-requests.ts';
import type { Pod } from '../types.ts';

export const name = 'NodeResourcesFit';
const stateKey = `${name}/preFilter`;

/** Reasons as kube-scheduler words them: "Too many pods", "Insufficient cpu", "Insufficient example.com/gpu". */
export function insufficientResources(requests: Requests, node: NodeInfo): string[] {
  const reasons: string[] = [];
  const allowedPods = node.allocatable.get('pods') ?? 0;
  if ((node.requested.get('pods') ?? 0) + 1 > allowedPods) reasons.push('Too many pods');
  for (const [resource, wanted] of requests) {
    if (wanted === 0) continue;
    const free = (node.allocatable.get(resource) ?? 0) - (node.requested.get(resource) ?? 0);
    if (wanted > free) reasons.push(`Insufficient ${resource}`);
  }
  return reasons;
}

function requestsOf(context: { state: Map<string, unknown> }, pod: Pod): Requests {
  return (context.state.get(stateKey) as Requests | undefined) ?? podRequests(pod.spec);
}

/**
 * Filter: the pod's requests fit in what the node has left. Score: LeastAllocated over cpu and memory
 * (weight 1 each), using non-zero requests so pods without requests still spread.
 */
export function create(): PreFilterPlugin & FilterPlugin & ScorePlugin {
  return {
    name,
    preFilter(context, pod) {
      context.state.set(stateKey, podRequests(pod.spec));
      return success;
    },
    filter(context, pod, node) {
      const reasons = insufficientResources(requestsOf(context, pod), node);
      return reasons.length === 0 ? success : unschedulable(...reasons);
    },
    score(_context, pod, node) {
      const wanted = nonZeroRequests(pod.spec);
      const free = (resource: 'cpu' | 'memory'): number => {
        const capacity = node.allocatable.get(resource) ?? 0;
        if (capacity === 0) return 0;
        const used = node.nonZeroRequested[resource] + wanted[resource];
        return used > capacity ? 0 : ((capacity - used) * maxNodeScore) / capacity;
      };
      return Math.floor((free('cpu') + free('memory')) / 2);
    },
  };
}
