import { type FilterPlugin, success, unresolvable } from '../framework.ts';
import { isTolerated } from './tolerations.ts';

export const name = 'NodeUnschedulable';
const cordoned = 'node(s) were unschedulable';
const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as const;

/** Cordoned nodes (spec.unschedulable) take only pods that tolerate the unschedulable taint. */
export function create(): FilterPlugin {
  return {
    name,
    ignoresPlacedPods: true,
    judgesNodeAlone: true,
    filter: (_context, pod, node) =>
      node.unschedulable && !isTolerated(unschedulableTaint, pod.spec.tolerations) ? unresolvable(cordoned) : success,
  };
}
