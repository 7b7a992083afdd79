import { type LabelSelector, labelSelectorFromSpec } from '../../selectors/index.ts';
import {
  type FilterPlugin,
  maxNodeScore,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type Snapshot,
  sharedRefusal,
  skip,
  success,
  unresolvable,
  unschedulable,
} from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';
import type { Pod, TopologySpreadConstraint } from '../types.ts';
import { podMatchesNode } from './node-affinity.ts';
import { firstUntolerated } from './tolerations.ts';

export const name = 'PodTopologySpread';
// Shared: a refused zone refuses thousands of nodes in one cycle.
const skewed = sharedRefusal(name, unschedulable("node(s) didn't match pod topology spread constraints"));
const missingLabel = sharedRefusal(
  name,
  unresolvable("node(s) didn't match pod topology spread constraints (missing required label)"),
);
const preFilterKey = `${name}/preFilter`;
const preScoreKey = `${name}/preScore`;

interface Compiled {
  constraint: TopologySpreadConstraint;
  selector: LabelSelector;
  /** Matching pods per domain value, over eligible nodes. */
  counts: Map<string, number>;
  /** The smallest count over eligible domains (0 below minDomains), worked out once per cycle. */
  min: number;
  selfMatch: number;
}

function compile(pod: Pod, constraint: TopologySpreadConstraint): Compiled {
  // matchLabelKeys add `key in (pod's value)` to the selector, as Kubernetes does.
  const spec = { ...(constraint.labelSelector ?? {}) };
  const labels = pod.metadata.labels ?? {};
  const extra = (constraint.matchLabelKeys ?? []).filter((k) => k in labels);
  if (extra.length > 0) {
    spec.matchExpressions = [
      ...(spec.matchExpressions ?? []),
      ...extra.map((k) => ({ key: k, operator: 'In' as const, values: [labels[k] as string] })),
    ];
  }
  const selector = labelSelectorFromSpec(spec);
  return { constraint, selector, counts: new Map(), min: 0, selfMatch: selector.matches(labels) ? 1 : 0 };
}

function eligible(pod: Pod, node: NodeInfo, c: TopologySpreadConstraint): boolean {
  if (node.labels[c.topologyKey] === undefined) return false;
  if ((c.nodeAffinityPolicy ?? 'Honor') === 'Honor' && !podMatchesNode(pod, node.node)) return false;
  if (
    c.nodeTaintsPolicy === 'Honor' &&
    firstUntolerated(node.taints, pod.spec.tolerations, ['NoSchedule', 'NoExecute'])
  ) {
    return false;
  }
  return true;
}

/** Whether every node carrying the key is eligible, so counts can come straight from the index. */
function allNodesEligible(pod: Pod, c: TopologySpreadConstraint): boolean {
  const affinityHonoured =
    (c.nodeAffinityPolicy ?? 'Honor') === 'Honor' &&
    ((pod.spec.nodeSelector && Object.keys(pod.spec.nodeSelector).length > 0) ||
      pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  return !affinityHonoured && c.nodeTaintsPolicy !== 'Honor';
}

/** Matching pods per domain of each constraint's key, over the nodes eligible for this pod. */
function countPods(pod: Pod, snapshot: Snapshot, compiled: Compiled[]): void {
  const namespaces = new Set([pod.metadata.namespace ?? 'default']);
  for (const c of compiled) {
    const key = c.constraint.topologyKey;
    const byNode = snapshot.pods.countByNode(namespaces, c.selector, true);
    if (allNodesEligible(pod, c.constraint)) {
      for (const domain of snapshot.pods.domains(key)) c.counts.set(domain, 0);
      for (const [nodeName, n] of byNode) {
        const domain = snapshot.get(nodeName)?.labels[key];
        if (domain !== undefined) c.counts.set(domain, (c.counts.get(domain) ?? 0) + n);
      }
    } else {
      for (const node of snapshot.nodes) {
        if (!eligible(pod, node, c.constraint)) continue;
        const domain = node.labels[key] as string;
        c.counts.set(domain, (c.counts.get(domain) ?? 0) + (byNode.get(node.name) ?? 0));
      }
    }
    let min = Number.POSITIVE_INFINITY;
    for (const v of c.counts.values()) if (v < min) min = v;
    // With fewer domains than minDomains the global minimum counts as 0.
    c.min = !Number.isFinite(min) || c.counts.size < (c.constraint.minDomains ?? 1) ? 0 : min;
  }
}

/**
 * maxSkew between topology domains for pods matching each constraint's selector, counted over the nodes
 * the pod could use (node affinity honoured by default). DoNotSchedule constraints filter; ScheduleAnyway
 * ones score (fewer matching pods in the node's domain scores higher). minDomains: with fewer domains than
 * that, the global minimum counts as 0.
 */
export function create(): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name,
    preFilter(context, pod) {
      const hard = (pod.spec.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable !== 'ScheduleAnyway');
      if (hard.length === 0) return skip;
      const compiled = hard.map((c) => compile(pod, c));
      countPods(pod, context.snapshot, compiled);
      context.state.set(preFilterKey, compiled);
      return success;
    },
    filter(context, _pod, node) {
      const compiled = context.state.get(preFilterKey) as Compiled[] | undefined;
      if (!compiled) return success;
      for (const c of compiled) {
        const domain = node.labels[c.constraint.topologyKey];
        if (domain === undefined) return missingLabel;
        const skew = (c.counts.get(domain) ?? 0) + c.selfMatch - c.min;
        if (skew > c.constraint.maxSkew) return skewed;
      }
      return success;
    },
    preScore(context, pod, nodes) {
      const soft = (pod.spec.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
      if (soft.length === 0 || nodes.length === 0) return skip;
      const compiled = soft.map((c) => compile(pod, c));
      countPods(pod, context.snapshot, compiled);
      context.state.set(preScoreKey, compiled);
      return success;
    },
    score(context, _pod, node) {
      const compiled = context.state.get(preScoreKey) as Compiled[] | undefined;
      if (!compiled) return 0;
      let total = 0;
      for (const c of compiled) {
        const domain = node.labels[c.constraint.topologyKey];
        if (domain !== undefined) total += (c.counts.get(domain) ?? 0) + c.selfMatch;
      }
      return total;
    },
    normalize(_context, _pod, scores) {
      // Fewer matching pods is better: map [min, max] onto [100, 0].
      let min = Number.POSITIVE_INFINITY;
      let max = 0;
      for (const v of scores) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      for (let i = 0; i < scores.length; i++) {
        const v = scores[i] as number;
        scores[i] = max === min ? maxNodeScore : Math.floor((maxNodeScore * (max - v)) / (max - min));
      }
    },
  };
}
