import {
  type FilterPlugin,
  normalizeScores,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  skip,
  success,
  unresolvable,
} from '../framework.ts';
import type { Node, Pod } from '../types.ts';
import { matchesAnyTerm, matchesTerm } from './node-selector.ts';

export const name = 'NodeAffinity';
const mismatch = "node(s) didn't match Pod's node affinity/selector";

/** nodeSelector and required node affinity both must hold. */
export function podMatchesNode(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return !required || matchesAnyTerm(node, required.nodeSelectorTerms ?? []);
}

/** Filter on nodeSelector and required affinity; score by the weights of matching preferred terms. */
export function create(): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name,
    ignoresPlacedPods: true,
    judgesNodeAlone: true,
    // Nothing to check without a nodeSelector or required terms: Skip drops the filter for this cycle.
    preFilter: (_context, pod) =>
      (pod.spec.nodeSelector && Object.keys(pod.spec.nodeSelector).length > 0) ||
      pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ? success
        : skip,
    filter: (_context, pod, node) => (podMatchesNode(pod, node.node) ? success : unresolvable(mismatch)),
    preScore: (_context, pod) =>
      pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ? success : skip,
    score(_context, pod, node) {
      let total = 0;
      for (const p of pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
        if (matchesTerm(node.node, p.preference)) total += p.weight;
      }
      return total;
    },
    normalize: (_context, _pod, scores) => normalizeScores(scores),
  };
}
