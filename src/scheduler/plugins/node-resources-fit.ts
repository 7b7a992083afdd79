import { type FilterPlugin, maxNodeScore, type ScorePlugin, success, unschedulable } from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';
import type { Requests } from '../pod-requests.ts';

export const name = 'NodeResourcesFit';

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

/** LeastAllocated for one resource: the share left free after placing the pod, 0..100. */
function freeShare(capacity: number, used: number): number {
  if (capacity === 0 || used > capacity) return 0;
  return ((capacity - used) * maxNodeScore) / capacity;
}

/**
 * Filter: the pod's requests fit in what the node has left. Score: LeastAllocated over cpu and memory
 * (weight 1 each), using non-zero requests so pods without requests still spread.
 */
export function create(): FilterPlugin & ScorePlugin {
  return {
    name,
    filter(context, _pod, node) {
      const reasons = insufficientResources(context.requests, node);
      return reasons.length === 0 ? success : unschedulable(...reasons);
    },
    score(context, _pod, node) {
      const wanted = context.nonZeroRequests;
      const cpu = freeShare(node.allocatable.get('cpu') ?? 0, node.nonZeroRequested.cpu + wanted.cpu);
      const memory = freeShare(node.allocatable.get('memory') ?? 0, node.nonZeroRequested.memory + wanted.memory);
      return Math.floor((cpu + memory) / 2);
    },
  };
}
