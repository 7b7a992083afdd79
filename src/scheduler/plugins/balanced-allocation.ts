import { maxNodeScore, type ScorePlugin } from '../framework.ts';
import { podRequests } from '../pod-requests.ts';

export const name = 'NodeResourcesBalancedAllocation';

/**
 * Prefers nodes whose cpu and memory would be used in similar fractions after placing the pod:
 * score = (1 - standard deviation of the fractions) × 100. With two resources the deviation is |a-b|/2.
 */
export function create(): ScorePlugin {
  return {
    name,
    score(_context, pod, node) {
      const wanted = podRequests(pod.spec);
      const fractions: number[] = [];
      for (const resource of ['cpu', 'memory']) {
        const capacity = node.allocatable.get(resource) ?? 0;
        if (capacity === 0) continue;
        const used = (node.requested.get(resource) ?? 0) + (wanted.get(resource) ?? 0);
        fractions.push(Math.min(1, used / capacity));
      }
      if (fractions.length < 2) return maxNodeScore;
      const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
      const variance = fractions.reduce((a, b) => a + (b - mean) ** 2, 0) / fractions.length;
      return Math.floor((1 - Math.sqrt(variance)) * maxNodeScore);
    },
  };
}
