import { type LabelSelector, labelSelectorFromSpec } from '../../selectors/index.ts';
import type { LabelSelector as LabelSelectorSpec } from '../../types/meta.ts';
import type { AnyPlugin, CycleContext, PluginStatus, PostFilterPlugin, Snapshot } from '../framework.ts';
import { addPod, emptyCopy, type NodeInfo, type PodInfo, podKey, removePod } from '../node-info.ts';
import { withTrialNode } from '../pod-index.ts';
import type { Pod } from '../types.ts';

export const name = 'DefaultPreemption';
const notHelpful = 'Preemption is not helpful for scheduling';
const noVictims = 'No preemption victims found for incoming pod';

/** What preemption needs of a PodDisruptionBudget. */
export interface DisruptionBudget {
  namespace: string;
  selector: LabelSelectorSpec | undefined;
  disruptionsAllowed: number;
}

interface Candidate {
  node: string;
  victims: Pod[];
  pdbViolations: number;
}

const priorityOf = (p: Pod) => p.spec.priority ?? 0;

/**
 * When no node fits, look for a node where evicting lower-priority pods makes room: remove every lower-
 * priority pod, check the pod fits, then give back as many victims as possible (highest priority first,
 * those protected by a PodDisruptionBudget before others). Among candidates prefer the fewest budget
 * violations, then the lowest highest-victim priority, the smallest priority sum, the fewest victims.
 */
export function create(args: {
  plugins: () => readonly AnyPlugin[];
  budgets?: () => DisruptionBudget[];
  /** Where the candidate search starts (0..1); random by default, as in kube-scheduler. */
  random?: () => number;
}): PostFilterPlugin {
  const random = args.random ?? Math.random;
  return {
    name,
    postFilter(context, pod, filtered) {
      const count = context.snapshot.nodes.length;
      const fail = (reasons: Map<string, string>) => ({
        status: { code: 'Unschedulable', reasons: [summary(count, reasons)] } as PluginStatus,
      });
      if (pod.spec.preemptionPolicy === 'Never') {
        return { status: { code: 'Unschedulable', reasons: ['not eligible due to preemptionPolicy=Never.'] } };
      }
      // A pod whose earlier preemption is still in progress waits for it instead of evicting more.
      const nominated = pod.status?.nominatedNodeName;
      const nominatedNode = nominated ? context.snapshot.get(nominated) : undefined;
      if (nominatedNode) {
        for (const { pod: other } of nominatedNode.pods.values()) {
          if (other.metadata.deletionTimestamp && priorityOf(other) < priorityOf(pod)) {
            return {
              status: {
                code: 'Unschedulable',
                reasons: ['not eligible due to a terminating pod on the nominated node.'],
              },
            };
          }
        }
      }
      const reasons = new Map<string, string>();
      const candidates: Candidate[] = [];
      const budgets = (args.budgets?.() ?? []).map((b) => ({
        ...b,
        compiled: b.selector ? labelSelectorFromSpec(b.selector) : undefined,
      }));
      // Like kube-scheduler, stop after enough candidates: 10% of the nodes, at least 100. The search
      // starts at a random node: from a fixed start, concurrent preemptors whose candidates tie would all
      // pick the same first node and pile their nominations onto it.
      const wanted = Math.max(100, Math.floor(count / 10));
      const nodes = context.snapshot.nodes;
      const offset = count > wanted ? Math.floor(random() * count) % count : 0;
      for (let i = 0; i < count && candidates.length < wanted; i++) {
        const node = nodes[(offset + i) % count] as NodeInfo;
        const status = filtered.get(node.name);
        if (status && status.code !== 'Unschedulable') {
          reasons.set(node.name, notHelpful);
          continue;
        }
        const candidate = findVictims(context, args.plugins(), pod, node, budgets);
        if (candidate) candidates.push(candidate);
        else reasons.set(node.name, noVictims);
      }
      if (candidates.length === 0) return fail(reasons);
      candidates.sort(compareCandidates);
      const best = candidates[0] as Candidate;
      return { nominatedNode: best.node, victims: best.victims, status: { code: 'Success', reasons: [] } };
    },
  };
}

function summary(count: number, reasons: Map<string, string>): string {
  const counts = new Map<string, number>();
  for (const r of reasons.values()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return `0/${count} nodes are available: ${[...counts]
    .map(([r, n]) => `${n} ${r}`)
    .sort()
    .join(', ')}.`;
}

function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.pdbViolations !== b.pdbViolations) return a.pdbViolations - b.pdbViolations;
  const highest = (c: Candidate) => Math.max(...c.victims.map(priorityOf));
  if (highest(a) !== highest(b)) return highest(a) - highest(b);
  const sum = (c: Candidate) => c.victims.reduce((s, v) => s + priorityOf(v), 0);
  if (sum(a) !== sum(b)) return sum(a) - sum(b);
  return a.victims.length - b.victims.length;
}

/** Plugins whose PreFilter state depends on other pods, so it must be recomputed without the victims. */
const podDependentPreFilters = new Set(['InterPodAffinity', 'PodTopologySpread']);

function fits(context: CycleContext, plugins: readonly AnyPlugin[], pod: Pod, trial: NodeInfo): boolean {
  const snapshot = context.snapshot;
  // The node list is copied only if a plugin asks for it (most read counts from `pods`).
  let nodes: NodeInfo[] | undefined;
  const overlay: Snapshot = {
    get nodes() {
      nodes ??= snapshot.nodes.map((n) => (n.name === trial.name ? trial : n));
      return nodes;
    },
    get: (n) => (n === trial.name ? trial : snapshot.get(n)),
    namespaceLabels: snapshot.namespaceLabels,
    pods: withTrialNode(snapshot.pods, trial),
  };
  // Reuse the cycle's PreFilter state (requests, ports); recompute only what depends on the victims.
  const trialContext: CycleContext = { ...context, state: new Map(context.state), snapshot: overlay };
  for (const p of plugins) {
    if (!p.preFilter || !podDependentPreFilters.has(p.name) || !context.state.has(`${p.name}/preFilter`)) continue;
    const s = p.preFilter(trialContext, pod);
    if (s.code !== 'Success' && s.code !== 'Skip') return false;
  }
  for (const p of plugins) {
    if (!p.filter) continue;
    if (p.filter(trialContext, pod, trial).code !== 'Success') return false;
  }
  return true;
}

function findVictims(
  context: CycleContext,
  plugins: readonly AnyPlugin[],
  pod: Pod,
  node: NodeInfo,
  budgets: (DisruptionBudget & { compiled: LabelSelector | undefined })[],
): Candidate | undefined {
  const keep: PodInfo[] = [];
  const potential: PodInfo[] = [];
  for (const info of node.pods.values()) {
    // Pods already terminating are not evicted twice.
    const evictable = priorityOf(info.pod) < priorityOf(pod) && !info.pod.metadata.deletionTimestamp;
    (evictable ? potential : keep).push(info);
  }
  if (potential.length === 0) return undefined;
  const trial = emptyCopy(node);
  for (const info of keep) addPod(trial, info);
  // Room already promised to pods nominated here (at least as important, as the filters see them) is not
  // free: without them, every preemptor in a burst would evict the same victim for the same room.
  const priority = priorityOf(pod);
  for (const info of context.snapshot.nominatedPods?.(node.name) ?? []) {
    if (info.pod.metadata.uid !== pod.metadata.uid && priorityOf(info.pod) >= priority) addPod(trial, info);
  }
  if (!fits(context, plugins, pod, trial)) return undefined;
  const protectedBy = (p: Pod) =>
    budgets.some(
      (b) =>
        b.namespace === p.metadata.namespace && b.disruptionsAllowed <= 0 && b.compiled?.matches(p.metadata.labels),
    );
  // Reprieve the most important first; budget-protected pods get the first chance to stay.
  potential.sort((a, b) => {
    const pa = protectedBy(a.pod) ? 1 : 0;
    const pb = protectedBy(b.pod) ? 1 : 0;
    if (pa !== pb) return pb - pa;
    return priorityOf(b.pod) - priorityOf(a.pod);
  });
  const victims: Pod[] = [];
  let pdbViolations = 0;
  for (const info of potential) {
    addPod(trial, info);
    if (fits(context, plugins, pod, trial)) continue;
    // Does not fit with it back: it has to go.
    removePod(trial, podKey(info.pod));
    victims.push(info.pod);
    if (protectedBy(info.pod)) pdbViolations++;
  }
  return { node: node.name, victims, pdbViolations };
}
