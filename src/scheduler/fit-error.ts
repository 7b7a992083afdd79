/**
 * The FailedScheduling message, worded as kube-scheduler's FitError:
 *   "0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu. preemption: ..."
 * Reasons are counted across nodes, rendered "<count> <reason>" and sorted as strings.
 */
import type { PluginStatus } from './framework.ts';

export function reasonHistogram(statuses: ReadonlyMap<string, PluginStatus>): string[] {
  // Plugins hand out one shared status per distinct refusal, so thousands of nodes usually hold a few
  // distinct objects: count those first, then their reasons.
  const byStatus = new Map<PluginStatus, number>();
  let last: PluginStatus | undefined;
  let run = 0;
  for (const status of statuses.values()) {
    if (status === last) {
      run++;
      continue;
    }
    if (last) byStatus.set(last, (byStatus.get(last) ?? 0) + run);
    last = status;
    run = 1;
  }
  if (last) byStatus.set(last, (byStatus.get(last) ?? 0) + run);
  const counts = new Map<string, number>();
  for (const [status, nodes] of byStatus) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + nodes);
  }
  return rendered(counts);
}

/** "<count> <reason>" for each reason, sorted as strings. */
function rendered(nodesByReason: ReadonlyMap<string, number>): string[] {
  return [...nodesByReason].map(([reason, count]) => `${count} ${reason}`).sort();
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
export function preemptionMessage(nodeCount: number, nodesByReason: ReadonlyMap<string, number>): string {
  return `0/${nodeCount} nodes are available: ${rendered(nodesByReason).join(', ')}.`;
}
