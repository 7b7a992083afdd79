/**
 * The scheduling framework: extension points as small interfaces; a plugin implements only the ones it
 * needs. Outcome codes mirror kube-scheduler's framework.Code:
 * - Success: fits / done.
 * - Unschedulable: does not fit now, preemption might help (e.g. Insufficient cpu).
 * - UnschedulableAndUnresolvable: does not fit and preemption on this node cannot help (taints, affinity).
 * - Skip: (PreFilter/PreScore) the plugin has nothing to do for this pod; its Filter/Score are skipped.
 * - Error: a bug or an internal failure, never "does not fit".
 */
import type { NodeInfo } from './node-info.ts';
import type { PodLookup } from './pod-index.ts';
import type { Requests } from './pod-requests.ts';
import type { Pod } from './types.ts';
import type { Verdicts } from './verdicts.ts';

export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Skip';

export interface PluginStatus {
  code: Code;
  /** Human-readable reasons, aggregated into the FailedScheduling message. */
  reasons: string[];
  /** The plugin that produced it. */
  plugin?: string;
}

export const success: PluginStatus = Object.freeze({ code: 'Success', reasons: [] }) as PluginStatus;
export const skip: PluginStatus = Object.freeze({ code: 'Skip', reasons: [] }) as PluginStatus;

export const unschedulable = (...reasons: string[]): PluginStatus => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): PluginStatus => ({
  code: 'UnschedulableAndUnresolvable',
  reasons,
});
export const errorStatus = (reason: string): PluginStatus => ({ code: 'Error', reasons: [reason] });

/**
 * A refusal made once and returned for every node it applies to. It names its plugin, so the scheduling
 * cycle keeps the one object instead of copying it per node (thousands of refusals, a few objects).
 */
export const sharedRefusal = (plugin: string, status: PluginStatus): PluginStatus =>
  Object.freeze({ ...status, plugin });

export const isSuccess = (s: PluginStatus | undefined): boolean => s === undefined || s.code === 'Success';

/** What every plugin sees during one scheduling cycle. */
export interface CycleContext {
  /** Per-cycle state written by PreFilter/PreScore, keyed `${plugin}/...`. */
  state: Map<string, unknown>;
  snapshot: Snapshot;
  /** The pod's requests, computed once per cycle (several plugins need them on every node). */
  requests: Requests;
  /** cpu (millicores) and memory of `requests`, and the other non-zero requests as an array (per-node fit check). */
  requestCpu: number;
  requestMemory: number;
  otherRequests: readonly (readonly [resource: string, amount: number])[];
  nonZeroRequests: { cpu: number; memory: number };
  /** The Filter plugins this cycle runs (those whose PreFilter said Skip left out), once they are known. */
  filters?: readonly FilterPlugin[];
}

export interface Snapshot {
  nodes: readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** Namespaces' labels, for affinity terms with namespaceSelector. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** Placed pods by selector and existing anti-affinity terms, kept incrementally (pod-index.ts). */
  pods: PodLookup;
  /** False when no pod is nominated anywhere (NodeInfo.nominated is empty everywhere): a cheap early out. */
  hasNominatedPods?(): boolean;
  /** The node preemption nominated this pod to, if any (may be newer than its status.nominatedNodeName). */
  nominatedNodeOf?(pod: Pod): string | undefined;
  /** Set by an owner that bumps NodeInfo.generation on every change (nominations too): answers may be reused. */
  verdicts?: Verdicts;
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(context: CycleContext, pod: Pod): PluginStatus;
}

export interface FilterPlugin extends Plugin {
  filter(context: CycleContext, pod: Pod, node: NodeInfo): PluginStatus;
  /** The answer depends only on the node itself and the incoming pod, never on the pods placed on it. */
  readonly ignoresPlacedPods?: boolean;
  /**
   * The answer depends only on the incoming pod's spec and this node (its object, placed and nominated
   * pods), never on other nodes or other objects: it may be reused for pods of the same spec while the
   * node is unchanged (verdicts.ts).
   */
  readonly judgesNodeAlone?: boolean;
  /**
   * When it returns a check for this cycle, the answer depends on the placed pods only through the cpu,
   * memory and pod count they use, and the check gives it from those numbers. Preemption's dry run then
   * tries removals in arithmetic instead of on copies of the node.
   */
  usageCheck?(context: CycleContext): UsageCheck | undefined;
}

/** Does the pod fit `node` if its pods used this much (cpu in millicores, memory in bytes, pod count)? */
export type UsageCheck = (node: NodeInfo, cpu: number, memory: number, pods: number) => boolean;

export interface PostFilterPlugin extends Plugin {
  /** Runs when no node fits (preemption). Returns a nominated node name, or a status explaining why not. */
  postFilter(
    context: CycleContext,
    pod: Pod,
    filtered: ReadonlyMap<string, PluginStatus> & { at?(index: number, node: NodeInfo): PluginStatus | undefined },
  ): { nominatedNode?: string; status: PluginStatus; victims?: Pod[] };
}

export interface PreScorePlugin extends Plugin {
  preScore(context: CycleContext, pod: Pod, nodes: readonly NodeInfo[]): PluginStatus;
}

export interface ScorePlugin extends Plugin {
  /** 0..100 after normalize. */
  score(context: CycleContext, pod: Pod, node: NodeInfo): number;
  /** Rescale raw scores (one per feasible node, in order) into 0..100 in place. */
  normalize?(context: CycleContext, pod: Pod, scores: number[]): void;
}

/**
 * Runs once a node is chosen and the pod assumed onto it, in the scheduling cycle (synchronously, so
 * the next pod already sees what it reserved). When any Reserve or Permit fails, every Reserve plugin's
 * unreserve runs, in reverse order, whether its reserve ran or not (kube-scheduler's contract), so
 * unreserve must tolerate being called for a pod it never reserved. It also runs when binding fails.
 */
export interface ReservePlugin extends Plugin {
  reserve(context: CycleContext, pod: Pod, nodeName: string): PluginStatus;
  unreserve(context: CycleContext, pod: Pod, nodeName: string): void;
}

/** Success lets the pod go on to binding; a rejection sends it back as unschedulable (no Wait here). */
export interface PermitPlugin extends Plugin {
  permit(context: CycleContext, pod: Pod, nodeName: string): PluginStatus;
}

/** Runs in the binding cycle, off the scheduling loop: API writes the pod's binding depends on (volumes). */
export interface PreBindPlugin extends Plugin {
  preBind(context: CycleContext, pod: Pod, nodeName: string): Promise<PluginStatus>;
}

/** The first bind plugin that does not return Skip binds the pod; without one, pods/binding does. */
export interface BindPlugin extends Plugin {
  bind(context: CycleContext, pod: Pod, nodeName: string): Promise<PluginStatus>;
}

export type AnyPlugin = Partial<
  PreFilterPlugin &
    FilterPlugin &
    PostFilterPlugin &
    PreScorePlugin &
    ScorePlugin &
    ReservePlugin &
    PermitPlugin &
    PreBindPlugin &
    BindPlugin
> &
  Plugin;

export const maxNodeScore = 100;

/** Scale scores so the best is 100 (or the worst, with reverse), as the default normalizer does. */
export function normalizeScores(scores: number[], reverse = false): void {
  let max = 0;
  for (const v of scores) if (v > max) max = v;
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) {
      scores[i] = reverse ? maxNodeScore : 0;
      continue;
    }
    const scaled = Math.floor(((scores[i] as number) * maxNodeScore) / max);
    scores[i] = reverse ? maxNodeScore - scaled : scaled;
  }
}
