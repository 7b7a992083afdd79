/**
 * The HPA's replica arithmetic for Resource metrics (kube-controller-manager podautoscaler
 * ReplicaCalculator, rewritten): desired = ceil(usage ratio × pods counted), unchanged while the ratio
 * is within the 10 % tolerance. Pods that cannot be trusted are handled as Kubernetes does:
 * - deleted or Failed pods are left out entirely; Pending pods, and CPU samples of pods that only just
 *   became ready, count as "unready": ignored, except that on a scale-up they count as using nothing;
 * - pods without a sample are "missing": on a scale-up they count as using nothing, on a scale-down as
 *   using exactly their request (or the target), so a gap in metrics never makes the HPA overreact;
 * - if these corrections would reverse the direction or land within the tolerance, nothing changes.
 *
 * Worked example: 3 pods requesting 100m, two use 90m and one has no sample yet, target 50 %. The
 * known pods give 90 % (ratio 1.8, up); the missing pod counts as 0, so (90+90+0)/300 = 60 %, ratio
 * 1.2, and ceil(1.2 × 3) = 4 replicas.
 */

import type { Pod } from '../../nodes/api-types.ts';
import { toMilli } from '../../quantity.ts';
import type { PodMetric } from './types.ts';

/** kube's --horizontal-pod-autoscaler-tolerance default. */
export const tolerance = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period default: CPU samples of younger pods are suspect. */
export const cpuInitializationPeriodMs = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay default. */
export const initialReadinessDelayMs = 30_000;

export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

const nameOf = (pod: Readonly<Pod>) => pod.metadata.name ?? '';

/** Sorts the target's pods into counted, unready, missing and ignored (groupPods). */
export function groupPods(
  pods: readonly Readonly<Pod>[],
  metrics: ReadonlyMap<string, PodMetric>,
  resource: string,
  now: number,
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = nameOf(pod);
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      groups.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      groups.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      groups.missing.add(name);
      continue;
    }
    if (resource === 'cpu' && isCpuSampleSuspect(pod, metric, now)) {
      groups.unready.add(name);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

/**
 * A CPU sample is not trusted while the pod is in its initialisation period and either not ready or
 * not yet one full metrics window past its last readiness change; after that period, only while the
 * pod is unready and never was ready (its readiness went False within the initial delay of its start).
 */
function isCpuSampleSuspect(pod: Readonly<Pod>, metric: PodMetric, now: number): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const startTime = pod.status?.startTime;
  if (!ready || !startTime) return true;
  const started = Date.parse(startTime);
  const transitioned = Date.parse(ready.lastTransitionTime ?? startTime);
  if (started + cpuInitializationPeriodMs > now) {
    return ready.status !== 'True' || metric.timestamp < transitioned + metric.windowMs;
  }
  return ready.status === 'False' && started + initialReadinessDelayMs > transitioned;
}

/** Each pod's total request of `resource` in milli-units; every container must request it. */
export function podRequests(pods: readonly Readonly<Pod>[], resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    let total = 0;
    for (const container of pod.spec?.containers ?? []) {
      const request = container.resources?.requests?.[resource];
      if (request === undefined) {
        throw new Error(`missing request for ${resource} in container ${container.name} of Pod ${nameOf(pod)}`);
      }
      total += toMilli(request);
    }
    requests.set(nameOf(pod), total);
  }
  return requests;
}

export interface UtilizationRatio {
  ratio: number;
  /** Whole percent of request, rounded down. */
  utilization: number;
  /** Mean usage per pod, milli-units. */
  rawAverage: number;
}

/** Usage over request of the pods that have both (GetResourceUtilizationRatio). */
export function utilizationRatio(
  metrics: ReadonlyMap<string, number>,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): UtilizationRatio {
  let usage = 0;
  let requested = 0;
  let counted = 0;
  let isRequestMissing = false;
  for (const [name, value] of metrics) {
    const request = requests.get(name);
    if (request === undefined) {
      isRequestMissing = true;
      continue;
    }
    usage += value;
    requested += request;
    counted++;
  }
  if (isRequestMissing && requested === 0) throw new Error('missing request for pods with metrics');
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.floor((usage * 100) / requested);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.floor(usage / counted) };
}

const mean = (values: ReadonlyMap<string, number>) => [...values.values()].reduce((a, b) => a + b, 0) / values.size;

export interface ResourceTarget {
  /** Percent of request (Utilization targets). */
  utilization?: number;
  /** Milli-units per pod (AverageValue targets). */
  averageValue?: number;
}

export interface ResourceReplicas {
  replicas: number;
  /** Percent of request; only for Utilization targets. */
  utilization?: number;
  /** Mean usage per pod in milli-units. */
  rawAverage: number;
}

/**
 * Desired replicas for one Resource metric. Throws with Kubernetes' wording when it cannot decide
 * (no pods, no samples, a container without a request).
 */
export function resourceReplicas(o: {
  currentReplicas: number;
  resource: string;
  target: ResourceTarget;
  pods: readonly Readonly<Pod>[];
  metrics: ReadonlyMap<string, PodMetric>;
  now: number;
}): ResourceReplicas {
  if (o.pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const groups = groupPods(o.pods, o.metrics, o.resource, o.now);
  const values = new Map<string, number>();
  for (const [name, metric] of o.metrics) {
    if (!groups.ignored.has(name) && !groups.unready.has(name)) values.set(name, metric.value);
  }
  const isUtilization = o.target.utilization !== undefined;
  const requests = isUtilization ? podRequests(o.pods, o.resource) : new Map<string, number>();
  if (values.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const ratioOf = (samples: ReadonlyMap<string, number>) =>
    isUtilization
      ? utilizationRatio(samples, requests, o.target.utilization ?? 1)
      : { ratio: mean(samples) / (o.target.averageValue ?? 1), utilization: undefined, rawAverage: mean(samples) };
  const first = ratioOf(values);
  const result = (replicas: number): ResourceReplicas => ({
    replicas,
    rawAverage: Math.floor(first.rawAverage),
    ...(first.utilization === undefined ? {} : { utilization: first.utilization }),
  });

  const isRebalancingUnready = groups.unready.size > 0 && first.ratio > 1;
  if (!isRebalancingUnready && groups.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= tolerance) return result(o.currentReplicas);
    return result(Math.ceil(first.ratio * groups.readyPodCount));
  }
  // Fill in what the missing and unready pods are assumed to use, then decide again.
  for (const name of groups.missing) {
    if (first.ratio < 1) values.set(name, isUtilization ? (requests.get(name) ?? 0) : (o.target.averageValue ?? 0));
    else if (first.ratio > 1) values.set(name, 0);
  }
  if (isRebalancingUnready) for (const name of groups.unready) values.set(name, 0);
  const second = ratioOf(values).ratio;
  const isReversed = (first.ratio < 1 && second > 1) || (first.ratio > 1 && second < 1);
  if (Math.abs(1 - second) <= tolerance || isReversed) return result(o.currentReplicas);
  const replicas = Math.ceil(second * values.size);
  if ((second < 1 && replicas > o.currentReplicas) || (second > 1 && replicas < o.currentReplicas)) {
    return result(o.currentReplicas);
  }
  return result(replicas);
}
