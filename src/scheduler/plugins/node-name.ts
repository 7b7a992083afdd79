import { type FilterPlugin, success, unresolvable } from '../framework.ts';

export const name = 'NodeName';
const mismatch = "node(s) didn't match the requested node name";

/** A pod that names its node fits only there. */
export function create(): FilterPlugin {
  return {
    name,
    ignoresPlacedPods: true,
    judgesNodeAlone: true,
    filter: (_context, pod, node) =>
      !pod.spec.nodeName || pod.spec.nodeName === node.name ? success : unresolvable(mismatch),
  };
}
