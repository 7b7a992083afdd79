/**
 * The horizontal pod autoscaler (kube-controller-manager podautoscaler, autoscaling/v2 Resource
 * metrics): every sync period (15 s, --horizontal-pod-autoscaler-sync-period) per HPA it reads the
 * target's /scale, the target pods' samples from metrics.k8s.io, proposes a size per metric, applies
 * behavior (stabilisation, policies) and min/max, writes spec.replicas through /scale and reports
 * status (currentReplicas, desiredReplicas, currentMetrics, lastScaleTime, the AbleToScale,
 * ScalingActive and ScalingLimited conditions) and events (SuccessfulRescale, FailedGetScale,
 * FailedGetResourceMetric, FailedComputeMetricsReplicas, FailedRescale), worded as Kubernetes words them.
 * Like the real one it keeps its recommendation history in memory only.
 */
import { horizontalPodAutoscalers, pods as podsRef } from '../../client/resources.ts';
import type { KubeClient, ResourceRef } from '../../client/types.ts';
import { createEventRecorder, type EventRecorder } from '../../events/recorder.ts';
import type { Pod } from '../../nodes/api-types.ts';
import { parseLabelSelector } from '../../selectors/label-selector.ts';
import { isStatusError } from '../../status.ts';
import { byNamespace, keyOf, splitKey } from '../runtime/cache.ts';
import { type Clock, realClock, toTime } from '../runtime/clock.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import { emptyHistory, normalizeReplicas, recordScaleEvent, type ScalingHistory } from './behavior.ts';
import { setCondition } from './conditions.ts';
import { defaultMetrics, replicasForMetrics } from './metric-replicas.ts';
import { type ResourceMetricsSource, resourceMetricsFrom } from './resource-metrics.ts';
import { createScaleTargets } from './scale-targets.ts';
import type { HorizontalPodAutoscaler, HPAStatus, MetricStatus, Scale } from './types.ts';

export const defaultSyncPeriodMs = 15_000;

export interface HPAControllerOptions {
  /** How often each HPA is evaluated; default 15 s. */
  syncPeriodMs?: number;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function hpaController(
  d: {
    client: KubeClient;
    informers: Informers;
    clock?: Clock;
    recorder?: EventRecorder;
    metrics?: ResourceMetricsSource;
  },
  o: HPAControllerOptions = {},
): Controller & { reconcile(key: string): Promise<void> } {
  const clock = d.clock ?? realClock;
  const syncPeriodMs = o.syncPeriodMs ?? defaultSyncPeriodMs;
  const recorder =
    d.recorder ?? createEventRecorder(d.client, { component: 'horizontal-pod-autoscaler' }, () => clock.now());
  const metrics = d.metrics ?? resourceMetricsFrom(d.client);
  const queue = createWorkQueue({ clock });
  const ref = horizontalPodAutoscalers as ResourceRef<HorizontalPodAutoscaler>;
  const informer = d.informers.informerFor(ref);
  const podInformer = d.informers.informerFor(podsRef as ResourceRef<Pod>);
  podInformer.addIndex('namespace', byNamespace);
  const api = d.client.resource(ref);
  const targets = createScaleTargets(d.client);
  const histories = new Map<string, ScalingHistory>();
  const historyOf = (key: string) => {
    const known = histories.get(key);
    if (known) return known;
    const history = emptyHistory();
    histories.set(key, history);
    return history;
  };

  // As kube's HPA queue: every event waits one sync period, and a key already waiting is not re-added,
  // so an HPA is evaluated once per period however often it (or its own status write) changes.
  const enqueue = (hpa: Readonly<HorizontalPodAutoscaler>) => queue.addAfter(keyOf(hpa), syncPeriodMs);
  informer.addHandlers({
    onAdd: enqueue,
    onUpdate: (_old, hpa) => enqueue(hpa),
    onDelete: (hpa) => histories.delete(keyOf(hpa)),
  });

  async function writeStatus(hpa: Readonly<HorizontalPodAutoscaler>, status: HPAStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(hpa.status ?? {})) return;
    try {
      await api.updateStatus({ ...structuredClone(hpa), status } as HorizontalPodAutoscaler);
    } catch (err) {
      // A newer HPA is already on its way to the informer; the next sync writes from it.
      if (!(isStatusError(err) && (err.code === 409 || err.code === 404))) throw err;
    }
  }

  async function sync(hpa: Readonly<HorizontalPodAutoscaler>, key: string): Promise<void> {
    const now = clock.now();
    const spec = hpa.spec;
    const namespace = hpa.metadata.namespace ?? '';
    const status: HPAStatus = structuredClone(hpa.status ?? {});
    if (hpa.metadata.generation !== undefined) status.observedGeneration = hpa.metadata.generation;
    if (!spec) return;
    const at = toTime(now);
    let scale: Scale;
    try {
      scale = await targets.getScale(namespace, spec.scaleTargetRef);
    } catch (err) {
      recorder.event(hpa, 'Warning', 'FailedGetScale', message(err));
      setCondition(
        status,
        at,
        'AbleToScale',
        'False',
        'FailedGetScale',
        `the HPA controller was unable to get the target's current scale: ${message(err)}`,
      );
      return writeStatus(hpa, status);
    }
    setCondition(
      status,
      at,
      'AbleToScale',
      'True',
      'SucceededGetScale',
      "the HPA controller was able to get the target's current scale",
    );
    const currentReplicas = scale.spec?.replicas ?? 0;
    const minReplicas = spec.minReplicas ?? 1;
    let desiredReplicas = currentReplicas;
    let rescaleReason = '';
    let currentMetrics: MetricStatus[] | undefined = status.currentMetrics;

    if (currentReplicas === 0 && minReplicas !== 0) {
      desiredReplicas = 0;
      setCondition(
        status,
        at,
        'ScalingActive',
        'False',
        'ScalingDisabled',
        'scaling is disabled since the replica count of the target is zero',
      );
    } else if (currentReplicas > spec.maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = spec.maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const selectorText = scale.status?.selector ?? '';
      let selector: ReturnType<typeof parseLabelSelector>;
      try {
        if (!selectorText) throw new Error('selector is required');
        selector = parseLabelSelector(selectorText);
      } catch (err) {
        const missing = !selectorText;
        recorder.event(hpa, 'Warning', missing ? 'SelectorRequired' : 'InvalidSelector', message(err));
        setCondition(
          status,
          at,
          'ScalingActive',
          'False',
          'InvalidSelector',
          missing
            ? "the HPA target's scale is missing a selector"
            : `the HPA target's scale has an invalid selector: ${message(err)}`,
        );
        return writeStatus(hpa, { ...status, currentReplicas });
      }
      const pods = podInformer.byIndex('namespace', namespace).filter((p) => selector.matches(p.metadata.labels));
      const specs = spec.metrics?.length ? spec.metrics : defaultMetrics;
      const outcome = await replicasForMetrics(specs, {
        namespace,
        selector: selectorText,
        currentReplicas,
        pods,
        source: metrics,
        now,
      });
      currentMetrics = outcome.statuses;
      if (!outcome.ok) {
        for (const f of outcome.failures) recorder.event(hpa, 'Warning', f.reason, f.message);
        const [first] = outcome.failures;
        if (first)
          setCondition(
            status,
            at,
            'ScalingActive',
            'False',
            first.reason,
            `the HPA was unable to compute the replica count: ${first.message}`,
          );
        recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', outcome.error);
        return writeStatus(hpa, { ...status, currentReplicas, currentMetrics });
      }
      setCondition(
        status,
        at,
        'ScalingActive',
        'True',
        'ValidMetricFound',
        `the HPA was able to successfully calculate a replica count from ${outcome.metricName}`,
      );
      const history = historyOf(key);
      const normalized = normalizeReplicas({
        behavior: spec.behavior,
        currentReplicas,
        desiredReplicas: outcome.replicas,
        minReplicas,
        maxReplicas: spec.maxReplicas,
        now,
        history,
      });
      setCondition(status, at, 'AbleToScale', 'True', normalized.ableToScale.reason, normalized.ableToScale.message);
      const limited = normalized.scalingLimited;
      setCondition(status, at, 'ScalingLimited', limited.status, limited.reason, limited.message);
      desiredReplicas = normalized.replicas;
      if (desiredReplicas > currentReplicas) rescaleReason = `${outcome.metricName} above target`;
      else if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
    }

    const isRescale = desiredReplicas !== currentReplicas;
    if (isRescale) {
      try {
        await targets.updateScale(spec.scaleTargetRef, {
          ...scale,
          spec: { ...scale.spec, replicas: desiredReplicas },
        });
      } catch (err) {
        recorder.event(
          hpa,
          'Warning',
          'FailedRescale',
          `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${message(err)}`,
        );
        setCondition(
          status,
          at,
          'AbleToScale',
          'False',
          'FailedUpdateScale',
          `the HPA controller was unable to update the target scale: ${message(err)}`,
        );
        return writeStatus(hpa, { ...status, currentReplicas, ...(currentMetrics ? { currentMetrics } : {}) });
      }
      setCondition(
        status,
        at,
        'AbleToScale',
        'True',
        'SucceededRescale',
        `the HPA controller was able to update the target scale to ${desiredReplicas}`,
      );
      recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      recordScaleEvent(historyOf(key), spec.behavior, currentReplicas, desiredReplicas, now);
      status.lastScaleTime = at;
    }
    status.currentReplicas = currentReplicas;
    status.desiredReplicas = desiredReplicas;
    if (currentMetrics) status.currentMetrics = currentMetrics;
    else delete status.currentMetrics;
    await writeStatus(hpa, status);
  }

  async function reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const hpa = informer.getByName(namespace, name);
    if (!hpa) {
      histories.delete(key);
      return;
    }
    try {
      await sync(hpa, key);
    } finally {
      queue.addAfter(key, syncPeriodMs);
    }
  }

  return { name: 'horizontal-pod-autoscaler', queue, workers: 2, reconcile };
}
