/**
 * Namespace lifecycle: a namespace with a deletionTimestamp has all its content deleted, reports
 * progress in status.conditions the way kube-controller-manager's namespace deleter does
 * (pkg/controller/namespace/deletion), and once nothing is left gives up the `kubernetes` finalizer
 * through namespaces/finalize; the registry then removes the namespace.
 */
import { namespaces } from '../client/resources.ts';
import type { KubeClient, ServedResource } from '../client/types.ts';
import { isStatusError } from '../status.ts';
import type { KubeObject } from '../types/meta.ts';
import { type Clock, realClock, toTime } from './runtime/clock.ts';
import type { Informers } from './runtime/informer-factory.ts';
import {
  createBucketRateLimiter,
  createExponentialRateLimiter,
  createMaxOfRateLimiter,
} from './runtime/rate-limiter.ts';
import type { Controller, ReconcileResult } from './runtime/run-controller.ts';
import { createWorkQueue } from './runtime/work-queue.ts';

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: 'Active' | 'Terminating'; conditions?: NamespaceCondition[] };
}

/** The finalizer this controller owns on every namespace (spec.finalizers, not metadata.finalizers). */
export const kubernetesFinalizer = 'kubernetes';

export function namespaceController(d: { client: KubeClient; informers: Informers; clock?: Clock }): Controller {
  const clock = d.clock ?? realClock;
  // As kube-controller-manager's namespace controller: retries back off from 5 ms but never wait more
  // than 60 s, because remaining content (terminating pods, finalizers) goes away on others' schedule.
  const rateLimiter = createMaxOfRateLimiter(createExponentialRateLimiter(5, 60_000), createBucketRateLimiter(clock));
  const queue = createWorkQueue({ clock, rateLimiter });
  const enqueueIfDeleting = (ns: Readonly<Namespace>) => {
    if (ns.metadata.deletionTimestamp) queue.add(ns.metadata.name ?? '');
  };
  d.informers.informerFor<Namespace>(namespaces).addHandlers({
    onAdd: enqueueIfDeleting,
    onUpdate: (_old, ns) => enqueueIfDeleting(ns),
  });
  return { name: 'namespace', queue, workers: 2, reconcile: (name) => reconcileNamespace(d.client, clock, name) };
}

/** One pass over a terminating namespace; asks to be requeued while content remains. */
export async function reconcileNamespace(client: KubeClient, clock: Clock, name: string): Promise<ReconcileResult> {
  const api = client.resource<Namespace>(namespaces);
  let ns: Namespace;
  try {
    ns = await api.get(name);
  } catch (err) {
    if (isStatusError(err) && err.code === 404) return;
    throw err;
  }
  if (!ns.metadata.deletionTimestamp) return;
  if (!ns.spec?.finalizers?.includes(kubernetesFinalizer)) return;

  const outcome = await deleteContent(client, name);
  const conditions = deletionConditions(outcome, ns.status?.conditions ?? [], toTime(clock.now()));
  if (ns.status?.phase !== 'Terminating' || !sameConditions(conditions, ns.status?.conditions ?? [])) {
    ns = await api.updateStatus({ ...ns, status: { ...ns.status, phase: 'Terminating', conditions } });
  }
  if (outcome.discoveryFailures.length || outcome.deleteFailures.length || outcome.remaining.size) {
    return { requeue: true };
  }
  const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== kubernetesFinalizer);
  await api.updateSubresource({ ...ns, spec: { ...ns.spec, finalizers } }, 'finalize');
}

export interface DeletionOutcome {
  discoveryFailures: string[];
  /** `pods.: <error>` per resource whose deletion failed. */
  deleteFailures: string[];
  /** Objects left, by `plural.group` (core resources read `pods.`, as in Kubernetes' messages). */
  remaining: Map<string, number>;
  /** Objects left, by metadata finalizer. */
  finalizers: Map<string, number>;
}

async function deleteContent(client: KubeClient, namespace: string): Promise<DeletionOutcome> {
  const { resources, failedGroups } = await client.serverResources();
  const outcome: DeletionOutcome = {
    discoveryFailures: failedGroups,
    deleteFailures: [],
    remaining: new Map(),
    finalizers: new Map(),
  };
  const deletable = resources.filter((r) => r.namespaced && r.verbs.includes('delete') && r.verbs.includes('list'));
  await Promise.all(deletable.map((r) => deleteResource(client, r, namespace, outcome)));
  return outcome;
}

async function deleteResource(client: KubeClient, r: ServedResource, namespace: string, outcome: DeletionOutcome) {
  const api = client.resource(r);
  const label = `${r.plural}.${r.group}`;
  try {
    if (r.verbs.includes('deletecollection')) {
      await api.deleteCollection({ namespace });
    } else {
      const list = await api.list({ namespace });
      for (const item of list.items) {
        await api.delete(item.metadata.name ?? '', namespace).catch((err: unknown) => {
          if (!isStatusError(err) || err.code !== 404) throw err;
        });
      }
    }
    const left = (await api.list({ namespace })).items;
    if (left.length) outcome.remaining.set(label, left.length);
    for (const item of left) {
      for (const f of item.metadata.finalizers ?? []) outcome.finalizers.set(f, (outcome.finalizers.get(f) ?? 0) + 1);
    }
  } catch (err) {
    // A resource the server stopped serving mid-pass (CRD deleted) has nothing left to delete.
    if (isStatusError(err) && err.code === 404 && err.status.details && !err.status.details.name) return;
    outcome.deleteFailures.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The five conditions a terminating namespace shows, in Kubernetes' order, reasons and messages. */
export function deletionConditions(
  o: DeletionOutcome,
  previous: readonly NamespaceCondition[],
  now: string,
): NamespaceCondition[] {
  const condition = (type: string, isTrue: boolean, reason: string, message: string): NamespaceCondition => {
    const status = isTrue ? 'True' : 'False';
    const before = previous.find((c) => c.type === type);
    const lastTransitionTime = before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : now;
    return { type, status, lastTransitionTime, reason, message };
  };
  return [
    o.discoveryFailures.length
      ? condition(
          'NamespaceDeletionDiscoveryFailure',
          true,
          'DiscoveryFailed',
          `Discovery failed for some groups, ${o.discoveryFailures.length} failing: unable to retrieve the complete list of server APIs: ${o.discoveryFailures.join(', ')}`,
        )
      : condition(
          'NamespaceDeletionDiscoveryFailure',
          false,
          'ResourcesDiscovered',
          'All resources successfully discovered',
        ),
    condition(
      'NamespaceDeletionGroupVersionParsingFailure',
      false,
      'ParsedGroupVersions',
      'All legacy kube types successfully parsed',
    ),
    o.deleteFailures.length
      ? condition(
          'NamespaceDeletionContentFailure',
          true,
          'ContentDeletionFailed',
          `Failed to delete all resource types, ${o.deleteFailures.length} remaining: ${o.deleteFailures.join(', ')}`,
        )
      : condition(
          'NamespaceDeletionContentFailure',
          false,
          'ContentDeleted',
          'All content successfully deleted, may be waiting on finalization',
        ),
    o.remaining.size
      ? condition(
          'NamespaceContentRemaining',
          true,
          'SomeResourcesRemain',
          `Some resources are remaining: ${sorted(o.remaining)
            .map(([r, n]) => `${r} has ${n} resource instances`)
            .join(', ')}`,
        )
      : condition('NamespaceContentRemaining', false, 'ContentRemoved', 'All content successfully removed'),
    o.finalizers.size
      ? condition(
          'NamespaceFinalizersRemaining',
          true,
          'SomeFinalizersRemain',
          `Some content in the namespace has finalizers remaining: ${sorted(o.finalizers)
            .map(([f, n]) => `${f} in ${n} resource instances`)
            .join(', ')}`,
        )
      : condition(
          'NamespaceFinalizersRemaining',
          false,
          'ContentHasNoFinalizers',
          'All content-preserving finalizers finished',
        ),
  ];
}

function sameConditions(a: readonly NamespaceCondition[], b: readonly NamespaceCondition[]): boolean {
  const fields = ['type', 'status', 'reason', 'message', 'lastTransitionTime'] as const;
  return a.length === b.length && a.every((c, i) => fields.every((f) => c[f] === b[i]?.[f]));
}
