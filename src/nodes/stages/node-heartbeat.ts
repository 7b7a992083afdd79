/**
 * Node status reports (kubelet nodeStatusUpdateFrequency 10 s, nodeStatusReportFrequency 5 min): every
 * 10 s the kubelet compares what it would report with the Node the API holds and patches status when
 * they differ (e.g. the node lifecycle controller marked it Unknown), or when 5 minutes passed since
 * the last report. Only the kubelet's own fields are sent: conditions it owns are merged into the
 * list by type, capacity/allocatable keys merge into the maps, so extended resources and conditions
 * written by others survive.
 */
import type { Node, NodeCondition } from '../api-types.ts';
import { type NodeConfig, nodeConditions, nodeResources } from '../node-status.ts';

export const statusCheckIntervalMs = 10_000;
export const statusReportIntervalMs = 5 * 60_000;

const ownTypes = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);

/** True when the API's copy differs from what this kubelet reports. */
export function differsFromReport(node: Readonly<Node> | undefined, config: NodeConfig): boolean {
  if (!node) return true;
  const conditions = node.status?.conditions ?? [];
  const wanted = nodeConditions(undefined, '');
  const conditionsDiffer = wanted.some((w) => {
    const c = conditions.find((x) => x.type === w.type);
    return !c || c.status !== w.status || c.reason !== w.reason;
  });
  const { capacity } = nodeResources(config);
  const capacityDiffers = Object.entries(capacity).some(([k, v]) => node.status?.capacity?.[k] !== v);
  return conditionsDiffer || capacityDiffers;
}

/** The merge-patch body of one status report. */
export function statusReport(
  node: Readonly<Node> | undefined,
  config: NodeConfig,
  now: string,
): { status: Node['status'] } {
  const previous = node?.status?.conditions ?? [];
  const ours = nodeConditions(previous, now);
  const others: NodeCondition[] = previous.filter((c) => !ownTypes.has(c.type));
  const { capacity, allocatable } = nodeResources(config);
  return { status: { capacity, allocatable, conditions: [...others, ...ours] } };
}
