import { maxNodeScore, type PreScorePlugin, type ScorePlugin, skip, success } from '../framework.ts';

export const name = 'NodeResourcesBalancedAllocation';

/**
 * Prefers nodes whose cpu and memory would be used in similar fractions after placing the pod:
 * score = (1 - standard deviation of the fractions) × 100. With two resources the deviation is |a-b|/2.
 * A pod that requests neither is skipped, as kube-scheduler does: every node would score it alike for
 * its own requests, and the nodes already balanced would draw all such pods.
 */
export function create(): PreScorePlugin & ScorePlugin {
  return {
    name,
    preScore: (context) => (context.requestCpu === 0 && context.requestMemory === 0 ? skip : success),
    score(context, _pod, node) {
      const cpuCapacity = node.allocatableCpu;
      const memoryCapacity = node.allocatableMemory;
      if (cpuCapacity === 0 || memoryCapacity === 0) return maxNodeScore;
      const cpu = Math.min(1, (node.requestedCpu + context.requestCpu) / cpuCapacity);
      const memory = Math.min(1, (node.requestedMemory + context.requestMemory) / memoryCapacity);
      // With two resources the standard deviation is half their difference.
      return Math.floor((1 - Math.abs(cpu - memory) / 2) * maxNodeScore);
    },
  };
}
