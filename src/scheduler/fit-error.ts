/**
 * The FailedScheduling message, worded as kube-scheduler's FitError:
 *   "0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu. preemption: ..."
 * Reasons are counted across nodes, rendered "<count> <reason>" and sorted as strings.
 */
import type { PluginStatus } from './framework.ts';

export function reasonHistogram(statuses: ReadonlyMap<string, PluginStatus>): string[] {
  const counts = new Map<string, number>();
  for (const status of statuses.values()) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, count]) => `${count} ${reason}`).sort();
}

export function fitErrorMessage(
  nodeCount: number,
  statuses: ReadonlyMap<string, PluginStatus>,
  preemptionMessage?: string,
  preFilterReason?: string,
): string {
  const reasons = preFilterReason ? [preFilterReason] : reasonHistogram(statuses);
  let message = `0/${nodeCount} nodes are available`;
  if (reasons.length > 0) message += `: ${reasons.join(', ')}`;
  message += '.';
  if (preemptionMessage) message += ` preemption: ${preemptionMessage}`;
  return message;
}

/** "0/3 nodes are available: 3 Preemption is not helpful for scheduling." and friends. */
export function preemptionMessage(nodeCount: number, reasonsByNode: ReadonlyMap<string, string>): string {
  const counts = new Map<string, number>();
  for (const reason of reasonsByNode.values()) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const parts = [...counts].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${nodeCount} nodes are available: ${parts.join(', ')}.`;
}
