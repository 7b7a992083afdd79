import {
  type FilterPlugin,
  normalizeScores,
  type PreScorePlugin,
  type ScorePlugin,
  skip,
  success,
  unresolvable,
} from '../framework.ts';
import { firstUntolerated, isTolerated } from './tolerations.ts';

export const name = 'TaintToleration';
const hardEffects = ['NoSchedule', 'NoExecute'];

/** Hard taints repel pods without a matching toleration; PreferNoSchedule taints lower the score. */
export function create(): FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name,
    ignoresPlacedPods: true,
    judgesNodeAlone: true,
    filter(_context, pod, node) {
      if (node.taints.length === 0) return success;
      const taint = firstUntolerated(node.taints, pod.spec.tolerations, hardEffects);
      return taint ? unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`) : success;
    },
    // With no PreferNoSchedule taint on any candidate every node scores the same: skip the work.
    preScore: (_context, _pod, nodes) =>
      nodes.some((n) => n.taints.some((t) => t.effect === 'PreferNoSchedule')) ? success : skip,
    score(_context, pod, node) {
      const preferNo = (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
      let count = 0;
      for (const taint of node.taints) {
        if (taint.effect === 'PreferNoSchedule' && !isTolerated(taint, preferNo)) count++;
      }
      return count;
    },
    // Fewer intolerable taints wins.
    normalize: (_context, _pod, scores) => normalizeScores(scores, true),
  };
}
