import {
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
  /** Domains where an existing pod's required anti-affinity forbids the incoming pod. */
  forbidden: Set<string>;
  /** Per affinity term: domains holding at least one matching pod. */
  affinityDomains: Map<string, number>[];
  antiAffinityDomains: Map<string, number>[];
  anyAffinityMatch: boolean;
}

function bump(map: Map<string, number>, domain: string | undefined, by = 1): void {
  if (domain) map.set(domain, (map.get(domain) ?? 0) + by);
}

/**
 * Required pod affinity and anti-affinity by topology domain, both the incoming pod's terms and the
 * required anti-affinity of pods already placed (which is symmetric: they repel the newcomer too).
 * Preferred terms score nodes by the summed weights of matching pods in the node's domains.
 */
export function create(): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name,
    preFilter(context, pod) {
      const affinity = requiredAffinity(pod);
      const antiAffinity = requiredAntiAffinity(pod);
      const state: PreFilterState = {
        affinity,
        antiAffinity,
        forbidden: new Set(),
        affinityDomains: affinity.map(() => new Map()),
        antiAffinityDomains: antiAffinity.map(() => new Map()),
        anyAffinityMatch: false,
      };
      const incomingHasTerms = affinity.length > 0 || antiAffinity.length > 0;
      let anyExistingAnti = false;
      // Without terms of its own the pod only meets existing pods' anti-affinity: visit just those nodes.
      const candidates = incomingHasTerms
        ? context.snapshot.nodes
        : (context.snapshot.nodesWithRequiredAntiAffinity?.() ??
          context.snapshot.nodes.filter((n) => n.podsWithRequiredAntiAffinity > 0));
      if (candidates.length === 0) return skip;
      for (const node of candidates) {
        if (node.podsWithRequiredAntiAffinity === 0 && !incomingHasTerms) continue;
        const labels = node.labels;
        for (const { pod: existing } of node.pods.values()) {
          if (node.podsWithRequiredAntiAffinity > 0) {
            for (const term of requiredAntiAffinity(existing)) {
              anyExistingAnti = true;
              if (termMatches(term, pod, context.snapshot)) {
                const d = domainOf(labels, term.topologyKey);
                if (d) state.forbidden.add(d);
              }
            }
          }
          affinity.forEach((term, i) => {
            if (termMatches(term, existing, context.snapshot)) {
              state.anyAffinityMatch = true;
              bump(state.affinityDomains[i] as Map<string, number>, domainOf(labels, term.topologyKey));
            }
          });
          antiAffinity.forEach((term, i) => {
            if (termMatches(term, existing, context.snapshot)) {
              bump(state.antiAffinityDomains[i] as Map<string, number>, domainOf(labels, term.topologyKey));
            }
          });
        }
      }
      context.state.set(preFilterKey, state);
      return incomingHasTerms || anyExistingAnti ? success : skip;
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
          const d = domainOf(labels, (state.affinity[i] as CompiledTerm).topologyKey);
          if (!d) return unresolvable(affinityNotMatched);
          if (!selfAffine && (state.affinityDomains[i]?.get(d) ?? 0) === 0) return unresolvable(affinityNotMatched);
        }
      }
      for (let i = 0; i < state.antiAffinity.length; i++) {
        const d = domainOf(labels, (state.antiAffinity[i] as CompiledTerm).topologyKey);
        if (d && (state.antiAffinityDomains[i]?.get(d) ?? 0) > 0) return unschedulable(antiAffinityNotMatched);
      }
      for (const domain of state.forbidden) {
        const [key] = domain.split('=', 1);
        if (domainOf(labels, key as string) === domain) return unschedulable(existingAntiAffinity);
      }
      return success;
    },
    preScore(context, pod, nodes) {
      const { affinity, antiAffinity } = preferredTerms(pod);
      if (affinity.length === 0 && antiAffinity.length === 0) return skip;
      const scores = new Map<string, number>();
      for (const node of nodes.length > 0 ? context.snapshot.nodes : []) {
        const labels = node.labels;
        for (const { pod: existing } of node.pods.values()) {
          for (const t of affinity)
            if (termMatches(t, existing, context.snapshot)) bump(scores, domainOf(labels, t.topologyKey), t.weight);
          for (const t of antiAffinity)
            if (termMatches(t, existing, context.snapshot)) bump(scores, domainOf(labels, t.topologyKey), -t.weight);
        }
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
