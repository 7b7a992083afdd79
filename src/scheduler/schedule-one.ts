/**
 * One scheduling cycle for one pod: PreFilter → Filter (until enough feasible nodes) → PostFilter when none
 * fit → PreScore → Score/Normalize/weights → pick the best (ties broken at random).
 */
import { fitErrorMessage } from './fit-error.ts';
import { type AnyPlugin, type CycleContext, type PluginStatus, type Snapshot, success } from './framework.ts';
import { addPod, emptyCopy, type NodeInfo, type PodInfo } from './node-info.ts';
import { NodeStatuses } from './node-statuses.ts';
import type { Profile } from './plugins/index.ts';
import { nonZeroRequests, podRequests } from './pod-requests.ts';
import type { Pod } from './types.ts';
import { unknown } from './verdicts.ts';

export type ScheduleResult =
  | {
      kind: 'scheduled';
      node: string;
      feasible: number;
      evaluated: number;
      /** The cycle's state, for Reserve, Permit, PreBind and Bind (binding-cycle.ts). */
      context: CycleContext;
    }
  | {
      kind: 'unschedulable';
      message: string;
      statuses: ReadonlyMap<string, PluginStatus>;
      nominatedNode?: string;
      victims?: Pod[];
      /** Plugins whose rejections may be resolved by cluster events (for queueing hints). */
      rejectors: Set<string>;
    }
  | { kind: 'error'; message: string };

/**
 * How many feasible nodes to look for before scoring: kube-scheduler's adaptive percentage,
 * max(5, 50 - nodes/125) %, but never fewer than 100 nodes (and all of them in small clusters).
 */
export function feasibleNodesToFind(total: number, percentage: number): number {
  const minFeasible = 100;
  if (total < minFeasible || percentage >= 100) return total;
  const adaptive = percentage > 0 ? percentage : Math.max(5, 50 - Math.floor(total / 125));
  return Math.max(minFeasible, Math.floor((total * adaptive) / 100));
}

export function newCycleContext(snapshot: Snapshot, pod: Pod): CycleContext {
  const requests = podRequests(pod.spec);
  return {
    state: new Map(),
    snapshot,
    requests,
    requestCpu: requests.get('cpu') ?? 0,
    requestMemory: requests.get('memory') ?? 0,
    otherRequests: [...requests].filter(([name, amount]) => amount !== 0 && name !== 'cpu' && name !== 'memory'),
    nonZeroRequests: nonZeroRequests(pod.spec),
  };
}

/** A node with its nominated pods added, kept while neither the node nor its nominations change. */
interface NominatedView {
  generation: number;
  nominated: readonly PodInfo[];
  priority: number;
  view: NodeInfo;
}
const nominatedViews = new WeakMap<NodeInfo, NominatedView>();

/**
 * The node as filters should see it: with the pods preemption nominated to it that are at least as
 * important as this one, so their room is not given away while their victims terminate. Every pod of a
 * burst asks this of every nominated node, so the copy is reused by pods of the same priority (unless
 * the pod is itself one of the nominated, which it must not count against itself).
 */
function withNominatedPods(node: NodeInfo, pod: Pod): NodeInfo {
  const nominated = node.nominated;
  if (nominated.length === 0) return node;
  const priority = pod.spec.priority ?? 0;
  const uid = pod.metadata.uid;
  let relevant = 0;
  let self = false;
  for (const p of nominated) {
    if (p.pod.metadata.uid === uid) self = true;
    else if (p.priority >= priority) relevant++;
  }
  if (relevant === 0) return node;
  if (!self) {
    const cached = nominatedViews.get(node);
    if (cached?.generation === node.generation && cached.nominated === nominated && cached.priority === priority) {
      return cached.view;
    }
  }
  const view = emptyCopy(node);
  for (const info of node.pods.values()) addPod(view, info);
  for (const p of nominated) if (p.pod.metadata.uid !== uid && p.priority >= priority) addPod(view, p);
  if (!self) nominatedViews.set(node, { generation: node.generation, nominated, priority, view });
  return view;
}

type Filter = AnyPlugin & Required<Pick<AnyPlugin, 'filter'>>;

/** The question some of a cycle's filters ask, as a key for reused answers (the filters a PreFilter skipped are not in it). */
const filterQuestion = (filters: readonly Filter[]) => `filter:${filters.map((f) => f.name).join(',')}`;

/** The first refusal among filters[from, to) of this node, naming its plugin; null when they all pass. */
function judge(
  filters: readonly Filter[],
  from: number,
  to: number,
  context: CycleContext,
  pod: Pod,
  node: NodeInfo,
): PluginStatus | null {
  for (let f = from; f < to; f++) {
    const plugin = filters[f] as Filter;
    const status = plugin.filter(context, pod, node);
    if (status === success || status.code === 'Success') continue;
    // Shared statuses already name their plugin; copying them would defeat the sharing.
    return status.plugin === plugin.name ? status : { ...status, plugin: plugin.name };
  }
  return null;
}

/** A profile's plugins by extension point, worked out once rather than on every cycle. */
interface ProfilePoints {
  preFilters: AnyPlugin[];
  filters: Filter[];
}
const pointsByProfile = new WeakMap<Profile, ProfilePoints>();

function pointsOf(profile: Profile): ProfilePoints {
  let points = pointsByProfile.get(profile);
  if (!points) {
    points = {
      preFilters: profile.plugins.filter((p) => p.preFilter),
      filters: profile.plugins.filter((p): p is Filter => Boolean(p.filter)),
    };
    pointsByProfile.set(profile, points);
  }
  return points;
}

export interface Scheduler {
  /** Round-robin start so successive pods look at different nodes first, as kube-scheduler does. */
  nextStartIndex: number;
}

export function scheduleOne(
  profile: Profile,
  snapshot: Snapshot,
  pod: Pod,
  cursor: Scheduler,
  random: () => number = Math.random,
): ScheduleResult {
  const context = newCycleContext(snapshot, pod);
  const nodes = snapshot.nodes;
  if (nodes.length === 0) {
    return {
      kind: 'unschedulable',
      message: 'no nodes available to schedule pods',
      statuses: new Map(),
      rejectors: new Set(),
    };
  }
  const points = pointsOf(profile);
  let skipped: Set<string> | undefined;
  for (const plugin of points.preFilters) {
    const status = (plugin.preFilter as NonNullable<AnyPlugin['preFilter']>)(context, pod);
    if (status.code === 'Skip') {
      skipped ??= new Set();
      skipped.add(plugin.name);
    } else if (status.code === 'Error') return { kind: 'error', message: status.reasons.join(', ') };
    else if (status.code !== 'Success')
      return preFilterRejection(profile, context, pod, { ...status, plugin: plugin.name });
  }
  const filters = skipped ? points.filters.filter((p) => !skipped.has(p.name)) : points.filters;
  context.filters = filters;
  // A preemptor is tried on its nominated node first and goes there if it fits (kube-scheduler's
  // PreferNominatedNode): it freed that room, and a full search would walk every node again.
  const nominatedName = snapshot.nominatedNodeOf?.(pod) ?? pod.status?.nominatedNodeName;
  const nominatedNode = nominatedName ? snapshot.get(nominatedName) : undefined;
  if (nominatedNode) {
    if (judge(filters, 0, filters.length, context, pod, withNominatedPods(nominatedNode, pod)) === null) {
      return { kind: 'scheduled', node: nominatedNode.name, feasible: 1, evaluated: 1, context };
    }
  }
  const wanted = feasibleNodesToFind(nodes.length, profile.percentageOfNodesToScore);
  const feasible: NodeInfo[] = [];
  // Rejections are kept in flat arrays and only turned into per-node statuses when no node fits (the
  // message and preemption need them); a scheduled pod would pay for thousands of entries.
  const rejectedIndexes: number[] = [];
  const rejectedStatuses: PluginStatus[] = [];
  let evaluated = 0;
  const start = cursor.nextStartIndex % nodes.length;
  const nominations = snapshot.hasNominatedPods?.() ?? true;
  // The leading filters that judge a node alone have their answers reused (verdicts.ts); the ones from the
  // first that looks wider (PodTopologySpread, InterPodAffinity: last in the default order) run afresh
  // on each node those let through, so the first refusal in plugin order is still the one reported. The
  // pod's own nominated node is always judged afresh: there it must not count its own nomination, which
  // pods of its shape elsewhere do.
  let cut = 0;
  while (cut < filters.length && (filters[cut] as Filter).judgesNodeAlone) cut++;
  const answers =
    snapshot.verdicts && cut > 0
      ? snapshot.verdicts.for<PluginStatus | null>(filterQuestion(filters.slice(0, cut)), pod, nodes)
      : undefined;
  const split = answers ? cut : filters.length;
  for (let i = 0; i < nodes.length && feasible.length < wanted; i++) {
    let index = start + i;
    if (index >= nodes.length) index -= nodes.length;
    const listed = nodes[index] as NodeInfo;
    evaluated++;
    const reusable = answers !== undefined && listed !== nominatedNode;
    let verdict = reusable ? answers.get(index, listed) : unknown;
    let node: NodeInfo | undefined;
    if (verdict === unknown) {
      node = nominations ? withNominatedPods(listed, pod) : listed;
      verdict = judge(filters, 0, split, context, pod, node);
      if (verdict?.code === 'Error') return { kind: 'error', message: verdict.reasons.join(', ') };
      if (reusable) answers.set(index, listed, verdict);
    }
    if (verdict === null && split < filters.length) {
      node ??= nominations ? withNominatedPods(listed, pod) : listed;
      verdict = judge(filters, split, filters.length, context, pod, node);
      if (verdict?.code === 'Error') return { kind: 'error', message: verdict.reasons.join(', ') };
    }
    if (verdict === null) feasible.push(node ?? (nominations ? withNominatedPods(listed, pod) : listed));
    else {
      rejectedIndexes.push(index);
      rejectedStatuses.push(verdict);
    }
  }
  cursor.nextStartIndex = (start + evaluated) % nodes.length;

  if (feasible.length === 0) {
    const statuses = new NodeStatuses(nodes, rejectedIndexes, rejectedStatuses);
    const rejectors = new Set<string>();
    let last: PluginStatus | undefined;
    for (const status of rejectedStatuses) {
      if (status === last) continue;
      last = status;
      rejectors.add(status.plugin as string);
    }
    let preemption: string | undefined;
    let nominatedNode: string | undefined;
    let victims: Pod[] | undefined;
    for (const plugin of profile.plugins) {
      if (!plugin.postFilter) continue;
      const outcome = plugin.postFilter(context, pod, statuses);
      if (outcome.nominatedNode) {
        nominatedNode = outcome.nominatedNode;
        victims = outcome.victims;
        break;
      }
      preemption = outcome.status.reasons[0];
    }
    const result: ScheduleResult = {
      kind: 'unschedulable',
      message: fitErrorMessage(nodes.length, statuses, preemption),
      statuses,
      rejectors,
    };
    if (nominatedNode) result.nominatedNode = nominatedNode;
    if (victims) result.victims = victims;
    return result;
  }
  if (feasible.length === 1) {
    return { kind: 'scheduled', node: (feasible[0] as NodeInfo).name, feasible: 1, evaluated, context };
  }
  return {
    kind: 'scheduled',
    node: pickBest(profile, context, pod, feasible, random),
    feasible: feasible.length,
    evaluated,
    context,
  };
}

/**
 * A PreFilter refused the pod, so every node refuses it for that one reason. PostFilter still runs, as in
 * kube-scheduler, and its word ends the message: "0/3 nodes are available: pod has unbound immediate
 * PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
 */
function preFilterRejection(
  profile: Profile,
  context: CycleContext,
  pod: Pod,
  status: PluginStatus,
): Extract<ScheduleResult, { kind: 'unschedulable' }> {
  const nodes = context.snapshot.nodes;
  const statuses = new Map<string, PluginStatus>();
  for (const n of nodes) statuses.set(n.name, status);
  const result: Extract<ScheduleResult, { kind: 'unschedulable' }> = {
    kind: 'unschedulable',
    message: '',
    statuses,
    rejectors: new Set([status.plugin as string]),
  };
  let preemption: string | undefined;
  for (const plugin of profile.plugins) {
    const outcome = plugin.postFilter?.(context, pod, statuses);
    if (!outcome) continue;
    if (outcome.nominatedNode) {
      result.nominatedNode = outcome.nominatedNode;
      if (outcome.victims) result.victims = outcome.victims;
      break;
    }
    preemption = outcome.status.reasons[0];
  }
  // kube's FitError: the PreFilter's message (its reasons joined) in place of the per-node histogram.
  result.message = fitErrorMessage(nodes.length, statuses, preemption, status.reasons.join(', '));
  return result;
}

function pickBest(
  profile: Profile,
  context: CycleContext,
  pod: Pod,
  feasible: NodeInfo[],
  random: () => number,
): string {
  const n = feasible.length;
  const totals = new Float64Array(n);
  const scores: number[] = new Array(n);
  for (const plugin of profile.plugins) {
    if (!plugin.score) continue;
    if (plugin.preScore && plugin.preScore(context, pod, feasible).code === 'Skip') continue;
    const weight = profile.weights[plugin.name] ?? 1;
    for (let i = 0; i < n; i++) scores[i] = plugin.score(context, pod, feasible[i] as NodeInfo);
    plugin.normalize?.(context, pod, scores);
    for (let i = 0; i < n; i++) totals[i] = (totals[i] as number) + (scores[i] as number) * weight;
  }
  // Reservoir sampling among the top scores, so ties spread load instead of piling on the first node.
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  let ties = 0;
  for (let i = 0; i < n; i++) {
    const score = totals[i] as number;
    if (score > bestScore) {
      best = i;
      bestScore = score;
      ties = 1;
    } else if (score === bestScore) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return (feasible[best] as NodeInfo).name;
}
