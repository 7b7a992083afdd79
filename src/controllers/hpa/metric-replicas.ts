/**
 * computeReplicasForMetrics: one proposal per metric of spec.metrics, the largest wins. A metric that
 * fails leaves an empty status entry and the first failure's condition; the HPA acts on the others
 * only while they ask for at least the current size (it never scales down on partial information).
 * Error and metric-name wording is Kubernetes', since users search for it.
 */
import type { Pod } from '../../nodes/api-types.ts';
import { toMilli } from '../../quantity.ts';
import { formatQuantity } from '../resource-quota-usage.ts';
import { resourceReplicas } from './replica-calculator.ts';
import type { ResourceMetricsSource } from './resource-metrics.ts';
import type { MetricSpec, MetricStatus } from './types.ts';

/** What an HPA without metrics gets from the API server's defaulting: CPU at 80 % of request. */
export const defaultMetrics: readonly MetricSpec[] = [
  { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
];

export interface Failure {
  /** Event reason and ScalingActive=False reason, e.g. FailedGetResourceMetric. */
  reason: string;
  message: string;
}

export type MetricsOutcome =
  | { ok: true; replicas: number; metricName: string; statuses: MetricStatus[] }
  | { ok: false; statuses: MetricStatus[]; error: string; failures: Failure[] };

interface Proposal {
  replicas: number;
  metricName: string;
  status: MetricStatus;
}

async function resourceProposal(metric: MetricSpec, o: MetricsInput): Promise<Proposal> {
  const name = metric.resource?.name ?? '';
  const target = metric.resource?.target;
  const metrics = await o.source(o.namespace, o.selector, name);
  if (target?.averageUtilization !== undefined) {
    const result = resourceReplicas({
      ...o,
      resource: name,
      target: { utilization: target.averageUtilization },
      metrics,
    });
    return {
      replicas: result.replicas,
      metricName: `${name} resource utilization (percentage of request)`,
      status: {
        type: 'Resource',
        resource: {
          name,
          current: {
            averageUtilization: result.utilization ?? 0,
            averageValue: formatQuantity(result.rawAverage, false),
          },
        },
      },
    };
  }
  if (target?.averageValue !== undefined) {
    const result = resourceReplicas({
      ...o,
      resource: name,
      target: { averageValue: toMilli(target.averageValue) },
      metrics,
    });
    return {
      replicas: result.replicas,
      metricName: `${name} resource`,
      status: {
        type: 'Resource',
        resource: { name, current: { averageValue: formatQuantity(result.rawAverage, false) } },
      },
    };
  }
  throw new Error('invalid resource metric source: neither a utilization target nor a value target was set');
}

export interface MetricsInput {
  namespace: string;
  selector: string;
  currentReplicas: number;
  pods: readonly Readonly<Pod>[];
  source: ResourceMetricsSource;
  now: number;
}

/** A metric that yielded no proposal: the reason its event and condition carry, and both wordings. */
class MetricFailure extends Error {
  constructor(
    readonly reason: string,
    message: string,
    /** The wording inside FailedComputeMetricsReplicas' "first error is: …". */
    readonly outer = message,
  ) {
    super(message);
  }
}

async function proposalFor(metric: MetricSpec, o: MetricsInput): Promise<Proposal> {
  if (metric.type !== 'Resource') {
    throw new MetricFailure(
      `FailedGet${metric.type}Metric`,
      `unable to get metric: the ${metric.type} metric type needs a custom or external metrics API, and none is registered`,
    );
  }
  try {
    return await resourceProposal(metric, o);
  } catch (err) {
    const name = metric.resource?.name ?? '';
    const kind = metric.resource?.target.type === 'AverageValue' ? 'usage' : 'utilization';
    const why = `failed to get ${name} ${kind}: ${err instanceof Error ? err.message : String(err)}`;
    throw new MetricFailure('FailedGetResourceMetric', why, `failed to get ${name} resource metric value: ${why}`);
  }
}

export async function replicasForMetrics(specs: readonly MetricSpec[], o: MetricsInput): Promise<MetricsOutcome> {
  const statuses: MetricStatus[] = [];
  const failures: MetricFailure[] = [];
  let best: Proposal | undefined;
  for (const metric of specs) {
    try {
      const proposal = await proposalFor(metric, o);
      statuses.push(proposal.status);
      if (!best || proposal.replicas > best.replicas) best = proposal;
    } catch (err) {
      if (!(err instanceof MetricFailure)) throw err;
      failures.push(err);
      statuses.push({ type: metric.type });
    }
  }
  const [first] = failures;
  if (first && (failures.length === specs.length || (best?.replicas ?? 0) < o.currentReplicas)) {
    return {
      ok: false,
      statuses,
      failures: failures.map((f) => ({ reason: f.reason, message: f.message })),
      error: `invalid metrics (${failures.length} invalid out of ${specs.length}), first error is: ${first.outer}`,
    };
  }
  return { ok: true, replicas: best?.replicas ?? o.currentReplicas, metricName: best?.metricName ?? '', statuses };
}
