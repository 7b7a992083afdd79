/**
 * The horizontal pod autoscaler (kube-controller-manager's podautoscaler, autoscaling/v2, resource
 * metrics only): every sync period it reads the target's pods' CPU/memory use from metrics.k8s.io
 * PodMetrics (or, where that API is not served, the pod annotation `sim.wharf.dev/cpu-usage`),
 * computes desired = ceil(current × utilisation / target) unless within the 10 % tolerance, clamps
 * to min/max, holds scale-downs to the highest recommendation of the stabilisation window (5 min),
 * and writes spec.replicas through the target's /scale subresource.
 */
import type { Pod } from '../nodes/api-types.ts';
import { parseQuantity } from '../quantity.ts';

/** kube's --horizontal-pod-autoscaler-tolerance default. */
export const tolerance = 0.1;
/** kube's --horizontal-pod-autoscaler-downscale-stabilization default. */
export const downscaleStabilizationMs = 5 * 60_000;

export interface ResourceUse {
  /** Sum of the pods' usage (cores or bytes). */
  usage: number;
  /** Sum of the same pods' requests. */
  requests: number;
}

/** Usage and requests of one resource over the pods that report metrics; undefined without any. */
export function utilizationOf(
  pods: readonly Readonly<Pod>[],
  resource: string,
  usageOf: (pod: Readonly<Pod>) => number | undefined,
): ResourceUse | undefined {
  let usage = 0;
  let requests = 0;
  let counted = 0;
  for (const pod of pods) {
    const used = usageOf(pod);
    if (used === undefined) continue;
    const requested = (pod.spec?.containers ?? []).reduce((sum, c) => {
      const q = c.resources?.requests?.[resource];
      return sum + (q === undefined ? 0 : parseQuantity(q));
    }, 0);
    usage += used;
    requests += requested;
    counted++;
  }
  return counted && requests > 0 ? { usage, requests } : undefined;
}

/**
 * Desired replicas for a utilisation target (percent of request): unchanged while the ratio of
 * actual to target is within the tolerance, else ceil(ratio × pods with metrics).
 */
export function replicasForUtilization(current: number, use: ResourceUse, targetPercent: number, readyPods: number) {
  const utilization = Math.floor((use.usage * 100) / use.requests);
  const ratio = utilization / targetPercent;
  const desired = Math.abs(1 - ratio) <= tolerance ? current : Math.ceil(ratio * readyPods);
  return { desired, utilization };
}

export interface Recommendation {
  at: number;
  replicas: number;
}

/** The highest recommendation within the window: scale-downs take effect only once they have held that long. */
export function stabilized(history: readonly Recommendation[], now: number, windowMs: number, latest: number): number {
  return history.filter((r) => r.at > now - windowMs).reduce((max, r) => Math.max(max, r.replicas), latest);
}

export interface ScalingLimit {
  replicas: number;
  condition: { status: 'True' | 'False'; reason: string; message: string };
}

/** min/max clamping with the ScalingLimited condition kube reports. */
export function limitReplicas(desired: number, minReplicas: number, maxReplicas: number): ScalingLimit {
  if (desired > maxReplicas) {
    return {
      replicas: maxReplicas,
      condition: {
        status: 'True',
        reason: 'TooManyReplicas',
        message: 'the desired replica count is more than the maximum replica count',
      },
    };
  }
  if (desired < minReplicas) {
    return {
      replicas: minReplicas,
      condition: {
        status: 'True',
        reason: 'TooFewReplicas',
        message: 'the desired replica count is less than the minimum replica count',
      },
    };
  }
  return {
    replicas: desired,
    condition: {
      status: 'False',
      reason: 'DesiredWithinRange',
      message: 'the desired count is within the acceptable range',
    },
  };
}

/** The SuccessfulRescale event message: `New size: 4; reason: cpu resource utilization (percentage of request) above target`. */
export function rescaleMessage(replicas: number, resource: string, isUp: boolean): string {
  return `New size: ${replicas}; reason: ${resource} resource utilization (percentage of request) ${isUp ? 'above' : 'below'} target`;
}
