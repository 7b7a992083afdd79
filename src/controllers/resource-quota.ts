/**
 * The resource quota controller (kube-controller-manager's resourcequota controller): status.hard
 * mirrors spec.hard and status.used sums what the namespace's objects charge (see
 * resource-quota-usage.ts). Any change to a charged object requeues every quota of its namespace.
 * Kinds without a shared informer here (custom resources under `count/...`) are listed on each pass
 * and rechecked every `resyncMs`, as kube's periodic full resync catches what its monitors miss.
 */
import * as refs from '../client/resources.ts';
import type { KubeClient, ResourceRef } from '../client/types.ts';
import type { Pod } from '../nodes/api-types.ts';
import type { KubeObject } from '../types/meta.ts';
import {
  countedResources,
  isPodCharged,
  matchingResources,
  type ResourceList,
  type ResourceQuota,
  usedBy,
} from './resource-quota-usage.ts';
import { byNamespace, keyOf, splitKey } from './runtime/cache.ts';
import { type Clock, realClock } from './runtime/clock.ts';
import type { Informer } from './runtime/informer.ts';
import type { Informers } from './runtime/informer-factory.ts';
import type { Controller } from './runtime/run-controller.ts';
import { createWorkQueue } from './runtime/work-queue.ts';

export interface ResourceQuotaOptions {
  /** How often every quota is recounted in full; kube's default resync is 5 min. */
  resyncMs?: number;
}

/** Namespaced kinds whose objects are watched; a change to any of them recomputes the namespace's quotas. */
const watched: readonly ResourceRef[] = [
  refs.pods,
  refs.services,
  refs.configMaps,
  refs.secrets,
  refs.persistentVolumeClaims,
  refs.replicationControllers,
  refs.resourceQuotas,
  refs.deployments,
  refs.replicaSets,
  refs.statefulSets,
  refs.daemonSets,
  refs.jobs,
  refs.cronJobs,
];

/** Kinds counted by listing (no informer, so no events) are recounted this often. */
const uninformedResyncMs = 15_000;

const resourceKey = (group: string, plural: string) => `${group}/${plural}`;

export function resourceQuotaController(
  d: { client: KubeClient; informers: Informers; clock?: Clock },
  o: ResourceQuotaOptions = {},
): Controller {
  const clock = d.clock ?? realClock;
  const resyncMs = o.resyncMs ?? 5 * 60_000;
  const queue = createWorkQueue({ clock });
  const quotas = d.informers.informerFor<ResourceQuota>(refs.resourceQuotas);
  quotas.addIndex('namespace', byNamespace);
  const informed = new Map<string, Informer<KubeObject>>();
  const enqueueNamespace = (object: Readonly<KubeObject>) => {
    for (const q of quotas.byIndex('namespace', object.metadata.namespace ?? '')) queue.add(keyOf(q));
  };
  for (const ref of watched) {
    const informer = d.informers.informerFor<KubeObject>(ref);
    informer.addIndex('namespace', byNamespace);
    informed.set(resourceKey(ref.group, ref.plural), informer);
    if (ref === refs.resourceQuotas) continue;
    // Only releases are counted here: admission charges a create the moment it is admitted, and a
    // recount racing the informer could undo that charge (kube's replenishment controller).
    informer.addHandlers({
      onUpdate: (old, current) => {
        if (isReleased(ref, old, current, clock.now())) enqueueNamespace(current);
      },
      onDelete: enqueueNamespace,
    });
  }
  quotas.addHandlers({
    onAdd: (q) => queue.add(keyOf(q)),
    onUpdate: (old, q) => {
      if (!sameList(q.spec?.hard ?? {}, old.spec?.hard ?? {}) || !sameList(q.spec?.hard ?? {}, q.status?.hard)) {
        queue.add(keyOf(q));
      }
    },
    // Another quota counts resourcequotas; a deleted one lowers their use.
    onDelete: enqueueNamespace,
  });

  async function objectsOf(
    group: string,
    plural: string,
    namespace: string,
  ): Promise<readonly Readonly<KubeObject>[] | undefined> {
    const informer = informed.get(resourceKey(group, plural));
    if (informer) return informer.byIndex('namespace', namespace);
    const served = (await d.client.serverResources()).resources.find(
      (r) => r.group === group && r.plural === plural && r.namespaced,
    );
    if (!served) return undefined;
    return (await d.client.resource(served).list({ namespace })).items;
  }

  async function reconcile(key: string): Promise<void> {
    const { namespace = '', name } = splitKey(key);
    const quota = quotas.getByName(namespace, name);
    if (!quota) return;
    const hard = quota.spec?.hard ?? {};
    const names = Object.keys(hard);
    const kinds = [...countedResources(names)];
    if (matchingResources('', 'pods', names).length) kinds.push({ group: '', plural: 'pods' });
    if (matchingResources('', 'services', names).length) kinds.push({ group: '', plural: 'services' });
    if (matchingResources('', 'persistentvolumeclaims', names).length)
      kinds.push({ group: '', plural: 'persistentvolumeclaims' });
    let used: ResourceList = {};
    let hasUninformed = false;
    for (const kind of uniqueKinds(kinds)) {
      hasUninformed ||= !informed.has(resourceKey(kind.group, kind.plural));
      const objects = await objectsOf(kind.group, kind.plural, namespace);
      if (objects) used = { ...used, ...usedBy(quota, kind.group, kind.plural, objects, clock.now()) };
    }
    queue.addAfter(key, hasUninformed ? Math.min(resyncMs, uninformedResyncMs) : resyncMs);
    const status = { hard: { ...hard }, used: sortedList(used) };
    if (sameList(status.hard, quota.status?.hard) && sameList(status.used, quota.status?.used)) return;
    await d.client.resource<ResourceQuota>(refs.resourceQuotas).updateStatus({ ...structuredClone(quota), status });
  }

  return { name: 'resourcequota', queue, workers: 2, reconcile };
}

/** A pod that reached a terminal phase or ran out its deletion grace stops charging its quota. */
function isReleased(ref: ResourceRef, old: Readonly<KubeObject>, current: Readonly<KubeObject>, now: number): boolean {
  if (ref !== refs.pods) return false;
  return isPodCharged(old as Readonly<Pod>, now) && !isPodCharged(current as Readonly<Pod>, now);
}

function uniqueKinds(kinds: Array<{ group: string; plural: string }>) {
  const seen = new Map(kinds.map((k) => [resourceKey(k.group, k.plural), k]));
  return [...seen.values()];
}

const sortedList = (list: ResourceList): ResourceList =>
  Object.fromEntries(Object.entries(list).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function sameList(a: ResourceList, b: ResourceList | undefined): boolean {
  const keys = Object.keys(a);
  return !!b && keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
