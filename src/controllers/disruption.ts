/**
 * The disruption controller (kube-controller-manager's disruption controller): keeps a
 * PodDisruptionBudget's status current so pods/eviction can decide: expectedPods, currentHealthy,
 * desiredHealthy, disruptionsAllowed, the DisruptionAllowed condition, and the disruptedPods the
 * eviction subresource records (dropped once the pod is deleting or after two minutes, when the
 * eviction evidently did not go through).
 */
import {
  deployments,
  podDisruptionBudgets,
  pods as podsRef,
  replicaSets,
  replicationControllers,
  statefulSets,
} from '../client/resources.ts';
import type { KubeClient, ResourceRef } from '../client/types.ts';
import type { Pod } from '../nodes/api-types.ts';
import { labelSelectorFromSpec } from '../selectors/index.ts';
import type { KubeObject, LabelSelector } from '../types/meta.ts';
import { byNamespace, keyOf, splitKey } from './runtime/cache.ts';
import { type Clock, realClock, toTime } from './runtime/clock.ts';
import type { Informers } from './runtime/informer-factory.ts';
import type { Controller } from './runtime/run-controller.ts';
import { createWorkQueue } from './runtime/work-queue.ts';

export interface PodDisruptionBudget extends KubeObject {
  spec?: { selector?: LabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
  status?: PodDisruptionBudgetStatus;
}

export interface PodDisruptionBudgetStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: {
    type: string;
    status: string;
    reason: string;
    message: string;
    observedGeneration?: number;
    lastTransitionTime: string;
  }[];
}

type Scaled = KubeObject & { spec?: { replicas?: number } };

/** disruption controller DeletionTimeout: an eviction not followed by a deletion within this is forgotten. */
export const deletionTimeoutMs = 2 * 60_000;

const isReady = (pod: Readonly<Pod>) =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** An int-or-percent against a total; percentages round up, as intstr.GetScaledValueFromIntOrPercent(…, true). */
export function scaledValue(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(value);
  return percent ? Math.ceil((Number(percent[1]) * total) / 100) : Number(value);
}

/**
 * The numbers of a budget (disruption.go getExpectedPodCount + countHealthyPods): with an integer
 * minAvailable the expected count is the pods found; otherwise it is the controllers' replicas.
 */
export function calculateBudget(
  spec: NonNullable<PodDisruptionBudget['spec']>,
  pods: readonly Readonly<Pod>[],
  controllerReplicas: number | undefined,
  disruptedPods: Record<string, string>,
  now: number,
): Pick<PodDisruptionBudgetStatus, 'expectedPods' | 'desiredHealthy' | 'currentHealthy' | 'disruptionsAllowed'> & {
  disruptedPods: Record<string, string>;
} {
  const stillDisrupted: Record<string, string> = {};
  for (const [name, at] of Object.entries(disruptedPods)) {
    const pod = pods.find((p) => p.metadata.name === name);
    if (pod && !pod.metadata.deletionTimestamp && Date.parse(at) + deletionTimeoutMs > now) stillDisrupted[name] = at;
  }
  let expectedPods = pods.length;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined) {
    expectedPods = controllerReplicas ?? pods.length;
    desiredHealthy = Math.max(0, expectedPods - scaledValue(spec.maxUnavailable, expectedPods));
  } else if (typeof spec.minAvailable === 'string') {
    expectedPods = controllerReplicas ?? pods.length;
    desiredHealthy = scaledValue(spec.minAvailable, expectedPods);
  } else {
    desiredHealthy = spec.minAvailable ?? 0;
  }
  const currentHealthy = pods.filter(
    (p) => !p.metadata.deletionTimestamp && !((p.metadata.name ?? '') in stillDisrupted) && isReady(p),
  ).length;
  const disruptionsAllowed = expectedPods > 0 ? Math.max(0, currentHealthy - desiredHealthy) : 0;
  return { expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods: stillDisrupted };
}

export function disruptionController(d: { client: KubeClient; informers: Informers; clock?: Clock }): Controller & {
  reconcile(key: string): Promise<void>;
} {
  const clock = d.clock ?? realClock;
  const queue = createWorkQueue({ clock });
  const budgetRef = podDisruptionBudgets as ResourceRef<PodDisruptionBudget>;
  const budgets = d.informers.informerFor(budgetRef);
  const podInformer = d.informers.informerFor(podsRef as ResourceRef<Pod>);
  budgets.addIndex('namespace', byNamespace);
  podInformer.addIndex('namespace', byNamespace);
  const owners = new Map(
    [deployments, replicaSets, statefulSets, replicationControllers].map((r) => [
      r.kind,
      d.informers.informerFor(r as ResourceRef<Scaled>),
    ]),
  );
  const enqueue = (b: Readonly<PodDisruptionBudget>) => queue.add(keyOf(b));
  budgets.addHandlers({ onAdd: enqueue, onUpdate: (_o, b) => enqueue(b) });
  const enqueueFor = (pod: Readonly<Pod>) => {
    for (const b of budgets.byIndex('namespace', pod.metadata.namespace ?? '')) {
      if (b.spec?.selector && labelSelectorFromSpec(b.spec.selector).matches(pod.metadata.labels)) enqueue(b);
    }
  };
  podInformer.addHandlers({ onAdd: enqueueFor, onUpdate: (_o, p) => enqueueFor(p), onDelete: enqueueFor });
  const api = d.client.resource(budgetRef);

  /** The replicas of the pods' controllers, a Deployment counted instead of its ReplicaSets (disruption.go finders). */
  function controllerReplicas(pods: readonly Readonly<Pod>[]): number | undefined {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      let ref = pod.metadata.ownerReferences?.find((r) => r.controller);
      let owner = ref && owners.get(ref.kind)?.getByName(pod.metadata.namespace, ref.name);
      const parent = owner?.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
      if (owner && ref?.kind === 'ReplicaSet' && parent) {
        ref = parent;
        owner = owners.get('Deployment')?.getByName(pod.metadata.namespace, parent.name);
      }
      if (!owner || !ref || owner.metadata.uid !== ref.uid) return undefined;
      seen.set(ref.uid, owner.spec?.replicas ?? 1);
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  }

  async function reconcile(key: string): Promise<void> {
    const budget = budgets.get(key);
    if (!budget) return;
    const { namespace } = splitKey(key);
    const selector = budget.spec?.selector;
    const pods = selector
      ? podInformer
          .byIndex('namespace', namespace ?? '')
          .filter((p) => labelSelectorFromSpec(selector).matches(p.metadata.labels))
      : [];
    const now = clock.now();
    const numbers = calculateBudget(
      budget.spec ?? {},
      pods,
      controllerReplicas(pods),
      budget.status?.disruptedPods ?? {},
      now,
    );
    const allowed = numbers.disruptionsAllowed > 0;
    const previous = budget.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
    const status: PodDisruptionBudgetStatus = {
      observedGeneration: budget.metadata.generation ?? 1,
      ...(Object.keys(numbers.disruptedPods).length ? { disruptedPods: numbers.disruptedPods } : {}),
      disruptionsAllowed: numbers.disruptionsAllowed,
      currentHealthy: numbers.currentHealthy,
      desiredHealthy: numbers.desiredHealthy,
      expectedPods: numbers.expectedPods,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: allowed ? 'True' : 'False',
          observedGeneration: budget.metadata.generation ?? 1,
          reason: allowed ? 'SufficientPods' : 'InsufficientPods',
          message: '',
          lastTransitionTime:
            previous && previous.status === (allowed ? 'True' : 'False') ? previous.lastTransitionTime : toTime(now),
        },
      ],
    };
    // Recorded evictions expire on their own: look again when the oldest would.
    const oldest = Math.min(...Object.values(numbers.disruptedPods).map((t) => Date.parse(t)));
    if (Number.isFinite(oldest)) queue.addAfter(key, oldest + deletionTimeoutMs - now);
    if (JSON.stringify(status) === JSON.stringify(budget.status)) return;
    await api.updateStatus({ ...structuredClone(budget), status });
  }
  return { name: 'disruption', queue, workers: 2, reconcile };
}
