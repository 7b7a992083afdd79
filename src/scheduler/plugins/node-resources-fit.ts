import {
  type CycleContext,
  type FilterPlugin,
  maxNodeScore,
  type PluginStatus,
  type ScorePlugin,
  sharedRefusal,
  success,
  unschedulable,
} from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';

export const name = 'NodeResourcesFit';

// Reasons as kube-scheduler words them: "Too many pods", "Insufficient cpu", "Insufficient example.com/gpu".
const tooManyPods = 'Too many pods';
const reasonByResource = new Map<string, string>();
const insufficient = (resource: string): string => {
  let reason = reasonByResource.get(resource);
  if (reason === undefined) {
    reason = `Insufficient ${resource}`;
    reasonByResource.set(resource, reason);
  }
  return reason;
};

const tooManyFor = (node: NodeInfo, pods: number) => pods + 1 > node.allocatablePods;
const lacks = (wanted: number, allocatable: number, used: number) => wanted > 0 && wanted > allocatable - used;

const join = (key: string, reason: string) => (key === '' ? reason : `${key}\n${reason}`);

/**
 * What the node lacks for the pod, as a key made of the shared reason strings ('' when it fits): no
 * allocation in the usual cases of fitting or lacking one thing. Requests of zero are never checked,
 * so a pod without requests still fits an overcommitted node.
 */
function shortfall(context: CycleContext, node: NodeInfo): string {
  let key = tooManyFor(node, node.requestedPods) ? tooManyPods : '';
  if (lacks(context.requestCpu, node.allocatableCpu, node.requestedCpu)) key = join(key, insufficient('cpu'));
  if (lacks(context.requestMemory, node.allocatableMemory, node.requestedMemory)) {
    key = join(key, insufficient('memory'));
  }
  const requests = context.otherRequests;
  for (let i = 0; i < requests.length; i++) {
    const [resource, wanted] = requests[i] as (typeof requests)[number];
    if (wanted > (node.allocatable.get(resource) ?? 0) - (node.requested.get(resource) ?? 0)) {
      key = join(key, insufficient(resource));
    }
  }
  return key;
}

/**
 * One frozen status per distinct shortfall: on a full cluster every node refuses, and thousands of
 * identical statuses per cycle would be garbage (the FailedScheduling histogram counts them by identity).
 */
const refusals = new Map<string, PluginStatus>();
function refusal(key: string): PluginStatus {
  let status = refusals.get(key);
  if (status === undefined) {
    // Bounded: only odd extended-resource combinations could grow it.
    if (refusals.size > 1000) refusals.clear();
    status = sharedRefusal(name, unschedulable(...key.split('\n')));
    refusals.set(key, status);
  }
  return status;
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
    judgesNodeAlone: true,
    filter(context, _pod, node) {
      const key = shortfall(context, node);
      return key === '' ? success : refusal(key);
    },
    // Without extended resources the answer is a function of the cpu, memory and pods in use.
    usageCheck(context) {
      if (context.otherRequests.length > 0) return undefined;
      const { requestCpu, requestMemory } = context;
      return (node, cpu, memory, pods) =>
        !tooManyFor(node, pods) &&
        !lacks(requestCpu, node.allocatableCpu, cpu) &&
        !lacks(requestMemory, node.allocatableMemory, memory);
    },
    score(context, _pod, node) {
      const wanted = context.nonZeroRequests;
      const cpu = freeShare(node.allocatableCpu, node.nonZeroRequested.cpu + wanted.cpu);
      const memory = freeShare(node.allocatableMemory, node.nonZeroRequested.memory + wanted.memory);
      return Math.floor((cpu + memory) / 2);
    },
  };
}
