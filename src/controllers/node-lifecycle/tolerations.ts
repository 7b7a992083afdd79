/**
 * Toleration matching for NoExecute taints (core/v1 helper ToleratesTaint, taint manager
 * getMinTolerationTime). The 300 s not-ready/unreachable tolerations every pod carries are added by
 * the pod strategy, as the DefaultTolerationSeconds admission plugin does.
 */
import type { Taint } from './node-health.ts';

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

/**
 * When a pod on a node with these NoExecute taints must be evicted, in ms since the epoch:
 * `now` when a taint is not tolerated, never (undefined) when every toleration is unbounded,
 * otherwise the earliest taint's timeAdded plus its shortest tolerationSeconds.
 */
export function evictionTime(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  now: number,
): number | undefined {
  let due: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return now;
    const bounded = matching.filter((t) => t.tolerationSeconds !== undefined);
    // An unbounded toleration among the matching ones wins only if all are unbounded (getMinTolerationTime).
    if (bounded.length === 0) continue;
    const seconds = Math.max(0, Math.min(...bounded.map((t) => t.tolerationSeconds ?? 0)));
    const since = taint.timeAdded ? Date.parse(taint.timeAdded) : now;
    const at = since + seconds * 1000;
    due = due === undefined ? at : Math.min(due, at);
  }
  return due;
}
