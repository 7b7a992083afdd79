import { type LabelSelector, labelSelectorFromSpec } from '../../selectors/index.ts';
import type { LabelSelector as LabelSelectorSpec } from '../../types/meta.ts';
import { preemptionMessage } from '../fit-error.ts';
import {
  type AnyPlugin,
  type CycleContext,
  type PostFilterPlugin,
  type Snapshot,
  success,
  type UsageCheck,
} from '../framework.ts';
import { addPod, emptyCopy, type NodeInfo, type PodInfo, removePod } from '../node-info.ts';
import { withTrialNode } from '../pod-index.ts';
import type { Pod } from '../types.ts';
import { unknown } from '../verdicts.ts';

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
  /** The highest victim priority and the sum of victim priorities, worked out once for the comparison. */
  highest: number;
  prioritySum: number;
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
      if (pod.spec.preemptionPolicy === 'Never') {
        return { status: { code: 'Unschedulable', reasons: ['not eligible due to preemptionPolicy=Never.'] } };
      }
      // A pod whose earlier preemption is still in progress waits for it instead of evicting more.
      const nominated = pod.status?.nominatedNodeName;
      const nominatedNode = nominated ? context.snapshot.get(nominated) : undefined;
      if (nominatedNode) {
        for (const other of nominatedNode.pods.values()) {
          if (other.terminating && other.priority < priorityOf(pod)) {
            return {
              status: {
                code: 'Unschedulable',
                reasons: ['not eligible due to a terminating pod on the nominated node.'],
              },
            };
          }
        }
      }
      // Why nodes were passed over, counted (a map by node would take thousands of entries per preemption).
      const reasons = new Map<string, number>();
      const passOver = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      let best: Candidate | undefined;
      let found = 0;
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
      // The cycle's filters: a plugin whose PreFilter skipped this pod has nothing to say on any node.
      const filters = context.filters ?? args.plugins().filter((p) => p.filter);
      const trial = usageTrial(context, filters, pod) ?? copyTrial(context, filters, pod);
      // A node's victims are reused for preemptors of the same shape while it is unchanged, when the
      // filters judge it alone and no budget weighs in; never on the pod's own nominated node, where its
      // own nomination must not count against it.
      const answers =
        context.snapshot.verdicts && budgets.length === 0 && filters.every((f) => f.judgesNodeAlone)
          ? context.snapshot.verdicts.for<Candidate | null>(
              `victims:${filters.map((f) => f.name).join(',')}`,
              pod,
              nodes,
            )
          : undefined;
      const ownName = context.snapshot.nominatedNodeOf?.(pod) ?? nominated;
      const own = ownName ? context.snapshot.get(ownName) : undefined;
      for (let i = 0; i < count && found < wanted; i++) {
        let index = offset + i;
        if (index >= count) index -= count;
        const node = nodes[index] as NodeInfo;
        const status = filtered.at ? filtered.at(index, node) : filtered.get(node.name);
        if (status && status.code !== 'Unschedulable') {
          passOver(notHelpful);
          continue;
        }
        const reusable = answers !== undefined && node !== own;
        let candidate = reusable ? answers.get(index, node) : unknown;
        if (candidate === unknown) {
          candidate = findVictims(trial, pod, node, budgets) ?? null;
          if (reusable) answers.set(index, node, candidate);
        }
        if (!candidate) {
          passOver(noVictims);
          continue;
        }
        found++;
        // The first of the best in search order, as sorting the candidates would give.
        if (best === undefined || compareCandidates(candidate, best) < 0) best = candidate;
      }
      if (best === undefined) {
        return { status: { code: 'Unschedulable', reasons: [preemptionMessage(count, reasons)] } };
      }
      return { nominatedNode: best.node, victims: best.victims, status: { code: 'Success', reasons: [] } };
    },
  };
}

function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.pdbViolations !== b.pdbViolations) return a.pdbViolations - b.pdbViolations;
  if (a.highest !== b.highest) return a.highest - b.highest;
  if (a.prioritySum !== b.prioritySum) return a.prioritySum - b.prioritySum;
  return a.victims.length - b.victims.length;
}

/** Plugins whose PreFilter state depends on other pods, so it must be recomputed without the victims. */
const podDependentPreFilters = new Set(['InterPodAffinity', 'PodTopologySpread']);
const podDependentStateKeys = [...podDependentPreFilters].map((p) => `${p}/preFilter`);

function fits(context: CycleContext, plugins: readonly AnyPlugin[], pod: Pod, trial: NodeInfo): boolean {
  if (!podDependentStateKeys.some((key) => context.state.has(key))) {
    // Nothing the filters read depends on other nodes' pods: the trial node alone decides.
    for (let i = 0; i < plugins.length; i++) {
      const status = (plugins[i] as Required<Pick<AnyPlugin, 'filter'>>).filter(context, pod, trial);
      if (status !== success && status.code !== 'Success') return false;
    }
    return true;
  }
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
    if (p.filter?.(trialContext, pod, trial).code !== 'Success') return false;
  }
  return true;
}

type CompiledBudget = DisruptionBudget & { compiled: LabelSelector | undefined };

/** Evicting this pod would take a budget below what it allows. */
function isProtected(budgets: readonly CompiledBudget[], p: Pod): boolean {
  return budgets.some(
    (b) => b.namespace === p.metadata.namespace && b.disruptionsAllowed <= 0 && b.compiled?.matches(p.metadata.labels),
  );
}

/** Most important first: higher priority, then (kube's MoreImportantPod) the one that started earlier. */
const byImportance = (a: PodInfo, b: PodInfo) =>
  b.priority - a.priority || (a.startTime < b.startTime ? -1 : a.startTime > b.startTime ? 1 : 0);

/**
 * The dry run's view of one node: it starts empty, pods are put on and taken off, and it says whether the
 * preemptor fits as things stand. One postFilter reuses one trial for every candidate node (`start`).
 */
interface Trial {
  start(node: NodeInfo): void;
  add(info: PodInfo): void;
  remove(info: PodInfo): void;
  fits(): boolean;
}

/** The general dry run: a copy of the node that the cycle's filters judge. */
function copyTrial(context: CycleContext, filters: readonly AnyPlugin[], pod: Pod): Trial {
  let trial: NodeInfo | undefined;
  const current = () => trial as NodeInfo;
  return {
    start(node) {
      trial = emptyCopy(node);
    },
    add: (info) => addPod(current(), info),
    remove: (info) => removePod(current(), info.key),
    fits: () => fits(context, filters, pod, current()),
  };
}

/**
 * The dry run in arithmetic, when every filter of the cycle either ignores placed pods (judged once per
 * node) or depends on them only through the resources they use (see FilterPlugin.usageCheck): with
 * hundreds of candidates per preemption on a big cluster, copying nodes cost more than everything else.
 * Undefined when some filter needs the real thing.
 */
function usageTrial(context: CycleContext, filters: readonly AnyPlugin[], pod: Pod): Trial | undefined {
  if (podDependentStateKeys.some((key) => context.state.has(key))) return undefined;
  const nodeOnly: AnyPlugin[] = [];
  const checks: UsageCheck[] = [];
  for (const f of filters) {
    if (f.ignoresPlacedPods) nodeOnly.push(f);
    else {
      const check = f.usageCheck?.(context);
      if (!check) return undefined;
      checks.push(check);
    }
  }
  let node: NodeInfo | undefined;
  let blocked = false;
  let cpu = 0;
  let memory = 0;
  let pods = 0;
  return {
    start(next) {
      node = next;
      blocked = nodeOnly.some((f) => f.filter?.(context, pod, next).code !== 'Success');
      cpu = 0;
      memory = 0;
      pods = 0;
    },
    add(info) {
      cpu += info.cpu;
      memory += info.memory;
      pods++;
    },
    remove(info) {
      cpu -= info.cpu;
      memory -= info.memory;
      pods--;
    },
    fits() {
      if (blocked) return false;
      for (const check of checks) if (!check(node as NodeInfo, cpu, memory, pods)) return false;
      return true;
    },
  };
}

/** Less important than the preemptor and not already terminating (those are not evicted twice). */
const evictable = (info: PodInfo, priority: number) => info.priority < priority && !info.terminating;

function findVictims(
  trial: Trial,
  pod: Pod,
  node: NodeInfo,
  budgets: readonly CompiledBudget[],
): Candidate | undefined {
  const priority = priorityOf(pod);
  // Most nodes of a cluster being preempted into hold nothing to evict any more: passed over at a glance.
  if (node.lowestPriority >= priority) return undefined;
  const potential: PodInfo[] = [];
  for (const info of node.pods.values()) if (evictable(info, priority)) potential.push(info);
  trial.start(node);
  for (const info of node.pods.values()) if (!evictable(info, priority)) trial.add(info);
  // Room already promised to pods nominated here (at least as important, as the filters see them) is not
  // free: without them, every preemptor in a burst would evict the same victim for the same room.
  const uid = pod.metadata.uid;
  for (const info of node.nominated) {
    if (info.pod.metadata.uid !== uid && info.priority >= priority) trial.add(info);
  }
  if (!trial.fits()) return undefined;
  // Reprieve the most important first; budget-protected pods get the first chance to stay.
  const guarded = budgets.length === 0 ? undefined : new Set(potential.filter((i) => isProtected(budgets, i.pod)));
  potential.sort(
    guarded ? (a, b) => Number(guarded.has(b)) - Number(guarded.has(a)) || byImportance(a, b) : byImportance,
  );
  const victims: Pod[] = [];
  let pdbViolations = 0;
  for (const info of potential) {
    trial.add(info);
    if (trial.fits()) continue;
    // Does not fit with it back: it has to go.
    trial.remove(info);
    victims.push(info.pod);
    if (guarded?.has(info)) pdbViolations++;
  }
  let highest = Number.NEGATIVE_INFINITY;
  let prioritySum = 0;
  for (const v of victims) {
    const p = priorityOf(v);
    if (p > highest) highest = p;
    prioritySum += p;
  }
  return { node: node.name, victims, pdbViolations, highest, prioritySum };
}
