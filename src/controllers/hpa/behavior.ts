/**
 * From the metrics' recommendation to the replicas the HPA sets (normalizeDesiredReplicas and its
 * WithBehaviors variant in kube's podautoscaler): stabilisation over recent recommendations, then the
 * rate limits, then minReplicas/maxReplicas — each step reporting the condition reason a user sees in
 * `kubectl describe hpa`.
 *
 * Worked example (spec.behavior unset): current 2, metrics ask for 10, max 8. Stabilisation only holds
 * scale-downs back, so 10 stays; the legacy rate limit is max(2 × 2, 4) = 4, below max, so the HPA sets
 * 4 with ScalingLimited=True ScaleUpLimit, and reaches 8 on a later sync.
 */
import type { Behavior, ScalingPolicy, ScalingRules } from './types.ts';

/** kube's --horizontal-pod-autoscaler-downscale-stabilization default. */
export const downscaleStabilizationMs = 5 * 60_000;

/** What the API server fills into a partially given behavior (autoscaling/v2 defaults). */
export const defaultScaleUp: Required<ScalingRules> = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
export const defaultScaleDown: Required<ScalingRules> = {
  stabilizationWindowSeconds: downscaleStabilizationMs / 1000,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

function withDefaults(rules: ScalingRules | undefined, defaults: Required<ScalingRules>): Required<ScalingRules> {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    policies: rules?.policies?.length ? rules.policies : defaults.policies,
  };
}

export interface Recommendation {
  at: number;
  replicas: number;
}

export interface ScaleEvent {
  at: number;
  /** Pods added (scale-up events) or removed (scale-down events). */
  change: number;
}

/** What the controller remembers per HPA between syncs (in memory, as kube-controller-manager does). */
export interface ScalingHistory {
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

export const emptyHistory = (): ScalingHistory => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });

export interface Normalized {
  replicas: number;
  /** AbleToScale=True reason and message. */
  ableToScale: { reason: string; message: string };
  /** ScalingLimited status, reason and message. */
  scalingLimited: { status: 'True' | 'False'; reason: string; message: string };
}

const readyForNewScale = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const scaleUpStabilized = {
  reason: 'ScaleUpStabilized',
  message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
};
const scaleDownStabilized = {
  reason: 'ScaleDownStabilized',
  message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
};
const within = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const tooMany = {
  reason: 'TooManyReplicas',
  message: 'the desired replica count is more than the maximum replica count',
};
const tooFew = {
  reason: 'TooFewReplicas',
  message: 'the desired replica count is less than the minimum replica count',
};
const upLimit = {
  reason: 'ScaleUpLimit',
  message: 'the desired replica count is increasing faster than the maximum scale rate',
};
const downLimit = {
  reason: 'ScaleDownLimit',
  message: 'the desired replica count is decreasing faster than the maximum scale rate',
};

export interface NormalizeInput {
  behavior: Behavior | undefined;
  currentReplicas: number;
  /** What the metrics ask for. */
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  now: number;
  history: ScalingHistory;
}

/** The replicas to set; records this recommendation in `history`. */
export function normalizeReplicas(o: NormalizeInput): Normalized {
  const stabilized = o.behavior ? stabilizeWithBehavior(o) : stabilizeLegacy(o);
  const ableToScale =
    stabilized === o.desiredReplicas
      ? readyForNewScale
      : o.desiredReplicas > o.currentReplicas
        ? scaleUpStabilized
        : scaleDownStabilized;
  const limited = o.behavior ? limitWithBehavior(o, stabilized) : limitLegacy(o, stabilized);
  return {
    replicas: limited.replicas,
    ableToScale,
    scalingLimited: { status: limited.replicas === stabilized ? 'False' : 'True', ...limited.why },
  };
}

function remember(o: NormalizeInput, windowMs: number): void {
  o.history.recommendations = o.history.recommendations.filter((r) => r.at > o.now - windowMs);
  o.history.recommendations.push({ at: o.now, replicas: o.desiredReplicas });
}

/** Without behavior: scale-downs wait for the highest recommendation of the last 5 minutes. */
function stabilizeLegacy(o: NormalizeInput): number {
  const highest = o.history.recommendations
    .filter((r) => r.at > o.now - downscaleStabilizationMs)
    .reduce((max, r) => Math.max(max, r.replicas), o.desiredReplicas);
  remember(o, downscaleStabilizationMs);
  return highest;
}

/** With behavior: the lowest recent recommendation bounds a scale-up, the highest a scale-down. */
function stabilizeWithBehavior(o: NormalizeInput): number {
  const up = withDefaults(o.behavior?.scaleUp, defaultScaleUp).stabilizationWindowSeconds * 1000;
  const down = withDefaults(o.behavior?.scaleDown, defaultScaleDown).stabilizationWindowSeconds * 1000;
  let upRecommendation = o.desiredReplicas;
  let downRecommendation = o.desiredReplicas;
  for (const r of o.history.recommendations) {
    if (r.at > o.now - up) upRecommendation = Math.min(upRecommendation, r.replicas);
    if (r.at > o.now - down) downRecommendation = Math.max(downRecommendation, r.replicas);
  }
  remember(o, Math.max(up, down));
  return Math.min(Math.max(o.currentReplicas, upRecommendation), downRecommendation);
}

interface Limited {
  replicas: number;
  why: { reason: string; message: string };
}

/** Without behavior: at most double (or +4, whichever is more) per sync, then min/max. */
function limitLegacy(o: NormalizeInput, desired: number): Limited {
  const scaleUpLimit = Math.max(2 * o.currentReplicas, 4);
  const [maximum, maxWhy] = o.maxReplicas > scaleUpLimit ? [scaleUpLimit, upLimit] : [o.maxReplicas, tooMany];
  if (desired < o.minReplicas) return { replicas: o.minReplicas, why: tooFew };
  if (desired > maximum) return { replicas: maximum, why: maxWhy };
  return { replicas: desired, why: within };
}

const changeWithin = (events: readonly ScaleEvent[], periodSeconds: number, now: number) =>
  events.filter((e) => e.at > now - periodSeconds * 1000).reduce((sum, e) => sum + e.change, 0);

/** The most replicas the scale-up policies allow now, given the scale-ups of their periods. */
export function scaleUpLimit(
  current: number,
  events: readonly ScaleEvent[],
  rules: Required<ScalingRules>,
  now: number,
) {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((policy: ScalingPolicy) => {
    const periodStart = current - changeWithin(events, policy.periodSeconds, now);
    return policy.type === 'Pods' ? periodStart + policy.value : Math.ceil(periodStart * (1 + policy.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/** The fewest replicas the scale-down policies allow now. */
export function scaleDownLimit(
  current: number,
  events: readonly ScaleEvent[],
  rules: Required<ScalingRules>,
  now: number,
) {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((policy: ScalingPolicy) => {
    const periodStart = current + changeWithin(events, policy.periodSeconds, now);
    return policy.type === 'Pods' ? periodStart - policy.value : Math.trunc(periodStart * (1 - policy.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}

function limitWithBehavior(o: NormalizeInput, desired: number): Limited {
  if (desired > o.currentReplicas) {
    const rules = withDefaults(o.behavior?.scaleUp, defaultScaleUp);
    const limit = Math.max(scaleUpLimit(o.currentReplicas, o.history.scaleUpEvents, rules, o.now), o.currentReplicas);
    const [maximum, why] = o.maxReplicas > limit ? [limit, upLimit] : [o.maxReplicas, tooMany];
    if (desired > maximum) return { replicas: maximum, why };
  } else if (desired < o.currentReplicas) {
    const rules = withDefaults(o.behavior?.scaleDown, defaultScaleDown);
    const limit = Math.min(
      scaleDownLimit(o.currentReplicas, o.history.scaleDownEvents, rules, o.now),
      o.currentReplicas,
    );
    const [minimum, why] = o.minReplicas < limit ? [limit, downLimit] : [o.minReplicas, tooFew];
    if (desired < minimum) return { replicas: minimum, why };
  }
  return { replicas: desired, why: within };
}

/** Records a rescale for the rate limits, dropping events older than the longest policy period. */
export function recordScaleEvent(
  history: ScalingHistory,
  behavior: Behavior | undefined,
  from: number,
  to: number,
  now: number,
) {
  if (!behavior || from === to) return;
  const isUp = to > from;
  const rules = isUp
    ? withDefaults(behavior.scaleUp, defaultScaleUp)
    : withDefaults(behavior.scaleDown, defaultScaleDown);
  const longest = Math.max(...rules.policies.map((p) => p.periodSeconds)) * 1000;
  const key = isUp ? 'scaleUpEvents' : 'scaleDownEvents';
  history[key] = history[key].filter((e) => e.at > now - longest);
  history[key].push({ at: now, change: Math.abs(to - from) });
}
