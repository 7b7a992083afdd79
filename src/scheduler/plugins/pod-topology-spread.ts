import { type LabelSelector, labelSelectorFromSpec } from '../../selectors/index.ts';
import type { LabelSelector as LabelSelectorSpec } from '../../types/meta.ts';
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
const hostnameKey = 'kubernetes.io/hostname';

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

/** kube-scheduler's defaults for pods without constraints of their own (defaultingType System). */
export const systemDefaultConstraints: readonly TopologySpreadConstraint[] = [
  { maxSkew: 3, topologyKey: hostnameKey, whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
];

/** PodTopologySpreadArgs from the scheduler configuration, plus where the default selector comes from. */
export interface PodTopologySpreadArgs {
  /** 'System' (the default): systemDefaultConstraints; 'List': defaultConstraints. */
  defaultingType?: 'System' | 'List';
  /** Constraints without a labelSelector: each pod's comes from what selects it. */
  defaultConstraints?: TopologySpreadConstraint[];
  /** The default constraints' selector for a pod (default-spread-selector.ts); without it none apply. */
  defaultSelector?: (pod: Pod) => LabelSelectorSpec | undefined;
}

interface ScoreState {
  compiled: Compiled[];
  /** log(domains + 2) per constraint, so a key with many domains weighs more per pod. */
  weights: number[];
  /** Feasible nodes lacking a key, when every key is required: they score 0. */
  ignored: Set<string>;
  /** Matching pods per node, for hostname constraints (counted per node, not per domain). */
  perNode: (ReadonlyMap<string, number> | undefined)[];
}

/** Marks an ignored node's raw score for normalize. */
const ignoredScore = -1;

/**
 * maxSkew between topology domains for pods matching each constraint's selector, counted over the nodes
 * the pod could use (node affinity honoured by default). DoNotSchedule constraints filter; ScheduleAnyway
 * ones score (fewer matching pods in the node's domain scores higher). minDomains: with fewer domains than
 * that, the global minimum counts as 0. A pod without constraints of its own gets the default ones
 * (kube-scheduler's system defaults unless configured), selecting the pods its Services and controller
 * select; a pod nothing selects is not spread.
 */
export function create(
  args: PodTopologySpreadArgs = {},
): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const systemDefaulted = (args.defaultingType ?? 'System') === 'System';
  const defaults = systemDefaulted ? systemDefaultConstraints : (args.defaultConstraints ?? []);
  const { defaultSelector } = args;
  const hasDefaults = (soft: boolean) =>
    defaultSelector !== undefined && defaults.some((c) => (c.whenUnsatisfiable === 'ScheduleAnyway') === soft);

  /** The pod's own constraints of one kind, or else the defaults of that kind with the pod's selector. */
  const constraintsOf = (pod: Pod, soft: boolean): { constraints: TopologySpreadConstraint[]; defaulted: boolean } => {
    const own = pod.spec.topologySpreadConstraints;
    const ofKind = (c: TopologySpreadConstraint) => (c.whenUnsatisfiable === 'ScheduleAnyway') === soft;
    if (own?.length) return { constraints: own.filter(ofKind), defaulted: false };
    if (!hasDefaults(soft)) return { constraints: [], defaulted: true };
    const labelSelector = defaultSelector?.(pod);
    if (!labelSelector) return { constraints: [], defaulted: true };
    return { constraints: defaults.filter(ofKind).map((c) => ({ ...c, labelSelector })), defaulted: true };
  };

  return {
    name,
    preFilter(context, pod) {
      const { constraints } = constraintsOf(pod, false);
      if (constraints.length === 0) return skip;
      const compiled = constraints.map((c) => compile(pod, c));
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
      if (nodes.length === 0) return skip;
      const { constraints, defaulted } = constraintsOf(pod, true);
      if (constraints.length === 0) return skip;
      const compiled = constraints.map((c) => compile(pod, c));
      const isHostname = compiled.map((c) => c.constraint.topologyKey === hostnameKey);
      const spread = compiled.filter((_c, i) => !isHostname[i]);
      countPods(pod, context.snapshot, spread);
      // With the system defaults a node may lack the zone label and still score; otherwise it may not.
      const requireAll = !(defaulted && systemDefaulted);
      const ignored = new Set<string>();
      const domains = compiled.map(() => new Set<string>());
      for (const node of nodes) {
        if (requireAll && compiled.some((c) => node.labels[c.constraint.topologyKey] === undefined)) {
          ignored.add(node.name);
          continue;
        }
        for (let i = 0; i < compiled.length; i++) {
          const value = node.labels[(compiled[i] as Compiled).constraint.topologyKey];
          if (!isHostname[i] && value !== undefined) domains[i]?.add(value);
        }
      }
      const namespaces = new Set([pod.metadata.namespace ?? 'default']);
      const state: ScoreState = {
        compiled,
        weights: compiled.map((_c, i) =>
          Math.log((isHostname[i] ? nodes.length - ignored.size : (domains[i] as Set<string>).size) + 2),
        ),
        ignored,
        perNode: compiled.map((c, i) =>
          isHostname[i] ? context.snapshot.pods.countByNode(namespaces, c.selector, true) : undefined,
        ),
      };
      context.state.set(preScoreKey, state);
      return success;
    },
    score(context, _pod, node) {
      const state = context.state.get(preScoreKey) as ScoreState | undefined;
      if (!state) return 0;
      if (state.ignored.has(node.name)) return ignoredScore;
      let total = 0;
      for (let i = 0; i < state.compiled.length; i++) {
        const c = state.compiled[i] as Compiled;
        const domain = node.labels[c.constraint.topologyKey];
        if (domain === undefined) continue;
        const perNode = state.perNode[i];
        const count = perNode ? (perNode.get(node.name) ?? 0) : (c.counts.get(domain) ?? 0);
        total += count * (state.weights[i] as number) + (c.constraint.maxSkew - 1);
      }
      return Math.round(total);
    },
    normalize(_context, _pod, scores) {
      // Fewer matching pods is better: kube-scheduler's 100 × (max + min - score) / max.
      let min = Number.POSITIVE_INFINITY;
      let max = 0;
      for (const v of scores) {
        if (v === ignoredScore) continue;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      for (let i = 0; i < scores.length; i++) {
        const v = scores[i] as number;
        if (v === ignoredScore) scores[i] = 0;
        else scores[i] = max === 0 ? maxNodeScore : Math.floor((maxNodeScore * (max + min - v)) / max);
      }
    },
  };
}
