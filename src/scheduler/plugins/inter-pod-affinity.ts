import {
  type CycleContext,
  type FilterPlugin,
  normalizeScores,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  skip,
  success,
  unresolvable,
  unschedulable,
} from '../framework.ts';
import type { Pod } from '../types.ts';
import {
  type CompiledTerm,
  domainOf,
  preferredTerms,
  requiredAffinity,
  requiredAntiAffinity,
  termMatches,
} from './affinity-terms.ts';

export const name = 'InterPodAffinity';
const affinityNotMatched = "node(s) didn't match pod affinity rules";
const antiAffinityNotMatched = "node(s) didn't match pod anti-affinity rules";
const existingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules";
const preFilterKey = `${name}/preFilter`;
const preScoreKey = `${name}/preScore`;

interface PreFilterState {
  affinity: CompiledTerm[];
  antiAffinity: CompiledTerm[];
  /** topologyKey → domain values where an existing pod's required anti-affinity forbids the incoming pod. */
  forbidden: Map<string, Set<string>>;
  /** Per affinity term: matching pods per value of the term's topology key. */
  affinityDomains: Map<string, number>[];
  antiAffinityDomains: Map<string, number>[];
  anyAffinityMatch: boolean;
}

function bump(map: Map<string, number>, domain: string | undefined, by = 1): void {
  if (domain !== undefined) map.set(domain, (map.get(domain) ?? 0) + by);
}

const none: ReadonlyMap<string, number> = new Map();

/** Pods matching a term, per node: from the snapshot's index, or by a scan for namespaceSelector terms. */
function matchingByNode(context: CycleContext, term: CompiledTerm): ReadonlyMap<string, number> {
  if (!term.selector) return none;
  if (!term.namespaceSelector) return context.snapshot.pods.countByNode(term.namespaces, term.selector, false);
  const counts = new Map<string, number>();
  for (const node of context.snapshot.nodes) {
    let n = 0;
    for (const { pod } of node.pods.values()) if (termMatches(term, pod, context.snapshot)) n++;
    if (n > 0) counts.set(node.name, n);
  }
  return counts;
}

/** Matching pods per value of the term's topology key. */
function domainCounts(context: CycleContext, term: CompiledTerm): Map<string, number> {
  const out = new Map<string, number>();
  for (const [nodeName, n] of matchingByNode(context, term)) {
    const node = context.snapshot.get(nodeName);
    if (node) bump(out, node.labels[term.topologyKey], n);
  }
  return out;
}

/**
 * Required pod affinity and anti-affinity by topology domain, both the incoming pod's terms and the
 * required anti-affinity of pods already placed (which is symmetric: they repel the newcomer too).
 * Preferred terms score nodes by the summed weights of matching pods in the node's domains. Counts come
 * from the snapshot's pod index, so a cycle costs what the matching pods cost, not all pods.
 */
export function create(): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name,
    preFilter(context, pod) {
      const affinity = requiredAffinity(pod);
      const antiAffinity = requiredAntiAffinity(pod);
      const affinityDomains = affinity.map((t) => domainCounts(context, t));
      const state: PreFilterState = {
        affinity,
        antiAffinity,
        forbidden: new Map(),
        affinityDomains,
        antiAffinityDomains: antiAffinity.map((t) => domainCounts(context, t)),
        anyAffinityMatch: affinityDomains.some((d) => d.size > 0),
      };
      for (const held of context.snapshot.pods.antiAffinityTerms(pod)) {
        if (!termMatches(held.term, pod, context.snapshot)) continue;
        const key = held.term.topologyKey;
        for (const nodeName of held.nodes.keys()) {
          const value = context.snapshot.get(nodeName)?.labels[key];
          if (value === undefined) continue;
          let values = state.forbidden.get(key);
          if (!values) {
            values = new Set();
            state.forbidden.set(key, values);
          }
          values.add(value);
        }
      }
      if (affinity.length === 0 && antiAffinity.length === 0 && state.forbidden.size === 0) return skip;
      context.state.set(preFilterKey, state);
      return success;
    },
    filter(context, pod, node) {
      const state = context.state.get(preFilterKey) as PreFilterState | undefined;
      if (!state) return success;
      const labels = node.labels;
      // Same order as kube-scheduler: the pod's affinity, its anti-affinity, then existing pods' anti-affinity.
      if (state.affinity.length > 0) {
        // The first pod of a group that is affine to itself may go anywhere its terms' keys exist.
        const selfAffine =
          !state.anyAffinityMatch && state.affinity.every((t) => termMatches(t, pod, context.snapshot));
        for (let i = 0; i < state.affinity.length; i++) {
          const d = labels[(state.affinity[i] as CompiledTerm).topologyKey];
          if (d === undefined) return unresolvable(affinityNotMatched);
          if (!selfAffine && (state.affinityDomains[i]?.get(d) ?? 0) === 0) return unresolvable(affinityNotMatched);
        }
      }
      for (let i = 0; i < state.antiAffinity.length; i++) {
        const d = labels[(state.antiAffinity[i] as CompiledTerm).topologyKey];
        if (d !== undefined && (state.antiAffinityDomains[i]?.get(d) ?? 0) > 0)
          return unschedulable(antiAffinityNotMatched);
      }
      for (const [key, values] of state.forbidden) {
        const value = labels[key];
        if (value !== undefined && values.has(value)) return unschedulable(existingAntiAffinity);
      }
      return success;
    },
    preScore(context, pod, nodes) {
      const { affinity, antiAffinity } = preferredTerms(pod);
      if (affinity.length === 0 && antiAffinity.length === 0) return skip;
      const scores = new Map<string, number>();
      if (nodes.length > 0) {
        const add = (t: CompiledTerm, sign: number) => {
          for (const [value, n] of domainCounts(context, t))
            bump(scores, `${t.topologyKey}=${value}`, sign * t.weight * n);
        };
        for (const t of affinity) add(t, 1);
        for (const t of antiAffinity) add(t, -1);
      }
      context.state.set(preScoreKey, {
        scores,
        keys: [...new Set([...affinity, ...antiAffinity].map((t) => t.topologyKey))],
      });
      return success;
    },
    score(context, _pod: Pod, node) {
      const state = context.state.get(preScoreKey) as { scores: Map<string, number>; keys: string[] } | undefined;
      if (!state) return 0;
      let total = 0;
      for (const key of state.keys) total += state.scores.get(domainOf(node.labels, key) ?? '') ?? 0;
      return total;
    },
    normalize(_context, _pod, scores) {
      // Scores may be negative (anti-affinity): shift so the lowest is 0, then scale to 0..100.
      let min = 0;
      for (const v of scores) if (v < min) min = v;
      if (min < 0) for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) - min;
      normalizeScores(scores);
    },
  };
}
