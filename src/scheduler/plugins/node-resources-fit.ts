import {
  type CycleContext,
  type FilterPlugin,
  maxNodeScore,
  type ScorePlugin,
  success,
  unschedulable,
} from '../framework.ts';
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

/** The allocation-free check run on every node; reasons are only worded for nodes that do not fit. */
function fitsResources(context: CycleContext, node: NodeInfo): boolean {
  if (node.requestedPods + 1 > node.allocatablePods) return false;
  if (context.requestCpu > node.allocatableCpu - node.requestedCpu) return false;
  if (context.requestMemory > node.allocatableMemory - node.requestedMemory) return false;
  const requests = context.otherRequests;
  for (let i = 0; i < requests.length; i++) {
    const [resource, wanted] = requests[i] as (typeof requests)[number];
    if (wanted > (node.allocatable.get(resource) ?? 0) - (node.requested.get(resource) ?? 0)) return false;
  }
  return true;
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
      if (fitsResources(context, node)) return success;
      const reasons = insufficientResources(context.requests, node);
      return unschedulable(...reasons);
    },
    score(context, _pod, node) {
      const wanted = context.nonZeroRequests;
      const cpu = freeShare(node.allocatableCpu, node.nonZeroRequested.cpu + wanted.cpu);
      const memory = freeShare(node.allocatableMemory, node.nonZeroRequested.memory + wanted.memory);
      return Math.floor((cpu + memory) / 2);
    },
  };
}
