/**
 * Whether a DaemonSet should run on a node (kubernetes pkg/controller/daemon NodeShouldRunDaemonPod):
 * the template's nodeSelector and required node affinity match, and every NoSchedule and NoExecute
 * taint is tolerated by the template plus the DaemonSet tolerations. The scheduler's own predicates
 * decide this, so the controller and the scheduler can never disagree.
 */
import { podMatchesNode } from '../../scheduler/plugins/node-affinity.ts';
import { firstUntolerated } from '../../scheduler/plugins/tolerations.ts';
import type { Node, Pod as SchedulerPod, Toleration } from '../../scheduler/types.ts';
import { withDaemonTolerations } from './daemon-pod.ts';
import type { DaemonSet } from './types.ts';

export function shouldRunOn(ds: Readonly<DaemonSet>, node: Readonly<Node>): boolean {
  const template = withDaemonTolerations(ds.spec?.template ?? {});
  const pod = { metadata: template.metadata ?? {}, spec: template.spec ?? {} } as unknown as SchedulerPod;
  if (!podMatchesNode(pod, node as Node)) return false;
  const tolerations = (template.spec?.tolerations ?? []) as Toleration[];
  return !firstUntolerated(node.spec?.taints, tolerations, ['NoSchedule', 'NoExecute']);
}
