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

/** NodeResourcesFitArgs.scoringStrategy, as the configuration file gives it. */
export interface ScoringStrategy {
  type: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
  /** Resources scored and their weights; default cpu and memory, weight 1 each. */
  resources?: { name: string; weight?: number }[];
  /** For RequestedToCapacityRatio: utilization (0..100) to score (0..10) points, ascending. */
  requestedToCapacityRatio?: { shape: { utilization: number; score: number }[] };
}

export interface NodeResourcesFitArgs {
  scoringStrategy?: ScoringStrategy;
}

// kube-scheduler's integer arithmetic, so scores (and so ties) come out as its do.
/** LeastAllocated for one resource: the share left free after placing the pod, 0..100. */
function leastAllocated(requested: number, capacity: number): number {
  if (requested > capacity) return 0;
  return Math.floor(((capacity - requested) * maxNodeScore) / capacity);
}

/** MostAllocated for one resource: the share in use after placing the pod, 0..100. */
function mostAllocated(requested: number, capacity: number): number {
  return Math.floor((Math.min(requested, capacity) * maxNodeScore) / capacity);
}

/** A broken-line function through the shape's points (scores scaled from 0..10 to 0..100), flat outside them. */
function brokenLine(
  shape: readonly { utilization: number; score: number }[],
): (requested: number, capacity: number) => number {
  const points = shape.map((p) => ({ utilization: p.utilization, score: p.score * (maxNodeScore / 10) }));
  const at = (u: number): number => {
    const first = points[0];
    if (!first || u <= first.utilization) return first?.score ?? 0;
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1] as (typeof points)[number];
      const b = points[i] as (typeof points)[number];
      if (u <= b.utilization)
        return a.score + Math.trunc(((b.score - a.score) * (u - a.utilization)) / (b.utilization - a.utilization));
    }
    return (points[points.length - 1] as (typeof points)[number]).score;
  };
  return (requested, capacity) => at(requested > capacity ? 100 : Math.floor((requested * 100) / capacity));
}

interface Weighted {
  name: string;
  weight: number;
}

/**
 * What the node has of one resource for scoring: 0 leaves the resource out, as for an extended
 * resource the pod does not ask for. Two plain functions rather than one returning a pair: they run for
 * every resource on hundreds of nodes per cycle.
 */
function capacityOf(context: CycleContext, node: NodeInfo, resource: string): number {
  if (resource === 'cpu') return node.allocatableCpu;
  if (resource === 'memory') return node.allocatableMemory;
  if (resource !== 'ephemeral-storage' && !context.requests.get(resource)) return 0;
  return node.allocatable.get(resource) ?? 0;
}

/** What the node would have in use with the pod on it; cpu and memory count non-zero requests. */
function requestedOf(context: CycleContext, node: NodeInfo, resource: string): number {
  if (resource === 'cpu') return node.nonZeroRequested.cpu + context.nonZeroRequests.cpu;
  if (resource === 'memory') return node.nonZeroRequested.memory + context.nonZeroRequests.memory;
  return (node.requested.get(resource) ?? 0) + (context.requests.get(resource) ?? 0);
}

/** The weighted average over the strategy's resources; a resource the node has none of is left out. */
function scorer(strategy: ScoringStrategy): (context: CycleContext, node: NodeInfo) => number {
  // No resources listed (or an empty list) means cpu and memory, weight 1 each.
  const listed = strategy.resources?.length ? strategy.resources : [{ name: 'cpu' }, { name: 'memory' }];
  const resources: Weighted[] = listed.map((r) => ({ name: r.name, weight: r.weight || 1 }));
  const isRatio = strategy.type === 'RequestedToCapacityRatio';
  const one = isRatio
    ? brokenLine(strategy.requestedToCapacityRatio?.shape ?? [])
    : strategy.type === 'MostAllocated'
      ? mostAllocated
      : leastAllocated;
  return (context, node) => {
    let total = 0;
    let weights = 0;
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i] as Weighted;
      const capacity = capacityOf(context, node, r.name);
      if (capacity === 0) continue;
      const score = one(requestedOf(context, node, r.name), capacity);
      // As kube-scheduler does: under RequestedToCapacityRatio a resource scoring 0 does not pull the
      // average down.
      if (isRatio && score === 0) continue;
      total += score * r.weight;
      weights += r.weight;
    }
    if (weights === 0) return 0;
    return isRatio ? Math.round(total / weights) : Math.floor(total / weights);
  };
}

/**
 * Filter: the pod's requests fit in what the node has left. Score: by the configured strategy,
 * LeastAllocated over cpu and memory (weight 1 each) by default, using non-zero requests so pods without
 * requests still spread; MostAllocated packs nodes; RequestedToCapacityRatio follows a shape.
 */
export function create(args: NodeResourcesFitArgs = {}): FilterPlugin & ScorePlugin {
  const score = scorer(args.scoringStrategy ?? { type: 'LeastAllocated' });
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
    score: (context, _pod, node) => score(context, node),
  };
}
