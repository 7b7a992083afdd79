/**
 * The ReplicaSet controller (kube-controller-manager's replicaset controller), written once for every
 * kind that keeps N copies of a pod template: ReplicaSet here, ReplicationController in
 * replication-controller.ts. It creates or deletes pods to match spec.replicas (creates in slow-start
 * batches of at most 500 per pass, guarded by expectations), adopts orphans its selector matches,
 * releases pods that stopped matching, and reports status.
 */
import { pods as podsRef, replicaSets } from '../client/resources.ts';
import type { KubeClient, ResourceRef } from '../client/types.ts';
import { createEventRecorder, type EventRecorder } from '../events/recorder.ts';
import { type LabelSelector, labelSelectorFromSpec } from '../selectors/index.ts';
import { isStatusError } from '../status.ts';
import type { KubeObject } from '../types/meta.ts';
import { createExpectations } from './pod-control/expectations.ts';
import {
  byControllerUID,
  claim,
  controllerOf,
  controllerUIDIndex,
  orphanIndex,
  orphansByNamespace,
} from './pod-control/owner.ts';
import { createPodControl } from './pod-control/pod-control.ts';
import { isPodActive } from './pod-control/pod-state.ts';
import { calculateStatus, type ManageError, sameReplicaStatus } from './pod-control/replica-status.ts';
import type { Pod, PodTemplateSpec, ReplicaSet, ReplicaSetStatus } from './pod-control/types.ts';
import { byNamespace, keyOf, splitKey } from './runtime/cache.ts';
import { type Clock, realClock } from './runtime/clock.ts';
import type { Informer } from './runtime/informer.ts';
import type { Informers } from './runtime/informer-factory.ts';
import type { Controller } from './runtime/run-controller.ts';
import { createWorkQueue } from './runtime/work-queue.ts';

/** The shape both kinds share; only the selector differs. */
export interface ReplicatedObject extends KubeObject {
  spec?: { replicas?: number; minReadySeconds?: number; selector?: unknown; template?: PodTemplateSpec };
  status?: ReplicaSetStatus;
}

/** What differs between ReplicaSet and ReplicationController. */
export interface ReplicaKind<T extends ReplicatedObject> {
  ref: ResourceRef<T>;
  /** Controller name (logs, queue) and event source component, as kube-controller-manager names them. */
  name: string;
  component: string;
  /** The compiled selector, or undefined when the object selects nothing (then it is left alone). */
  selectorOf(object: Readonly<T>): LabelSelector | undefined;
}

/** kube-controller-manager's BurstReplicas: at most this many creates or deletes per pass. */
export const burstReplicas = 500;

/**
 * A pod whose status alone changed (it turned Running or Ready) reaches its owner after this long, so
 * a burst of such changes costs one pass over the owner's pods instead of one per change (a pass is
 * O(replicas)); the job controller batches pod updates the same way. Creations, deletions and
 * ownership or label changes still reach the owner at once.
 */
export const podStatusBatchMs = 200;

function sameLabels(a: Readonly<Record<string, string>> = {}, b: Readonly<Record<string, string>> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Only the status moved: nothing that expectations, adoption or the deletion count depend on. */
function isStatusOnlyChange(old: Readonly<Pod>, pod: Readonly<Pod>): boolean {
  return (
    old.metadata.deletionTimestamp === pod.metadata.deletionTimestamp &&
    controllerOf(old)?.uid === controllerOf(pod)?.uid &&
    sameLabels(old.metadata.labels, pod.metadata.labels)
  );
}

export interface ReplicaControllerDeps {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
  recorder?: EventRecorder;
}

export function createReplicaController<T extends ReplicatedObject>(
  kind: ReplicaKind<T>,
  d: ReplicaControllerDeps,
): Controller & { reconcile(key: string): Promise<void> } {
  const clock = d.clock ?? realClock;
  const recorder = d.recorder ?? createEventRecorder(d.client, { component: kind.component }, () => clock.now());
  const queue = createWorkQueue({ clock });
  const expectations = createExpectations(clock);
  const owners: Informer<T> = d.informers.informerFor(kind.ref);
  const podInformer: Informer<Pod> = d.informers.informerFor(podsRef);
  owners.addIndex('namespace', byNamespace);
  owners.addIndex(byControllerUID, controllerUIDIndex);
  podInformer.addIndex(byControllerUID, controllerUIDIndex);
  podInformer.addIndex(orphansByNamespace, orphanIndex);
  const api = d.client.resource(kind.ref);
  const podApi = d.client.resource(podsRef);
  const podControl = createPodControl({ api: podApi, recorder, expectations });

  // Compiled once per cached object: the cache replaces objects on change and never mutates them.
  const selectors = new WeakMap<object, LabelSelector | undefined>();
  const selectorOf = (o: Readonly<T>) => {
    if (!selectors.has(o)) selectors.set(o, kind.selectorOf(o));
    return selectors.get(o);
  };

  /** The key of the owner of `pod` when it is one of ours; the UID is checked again in reconcile. */
  const ownerKeyOf = (pod: Readonly<Pod>): string | undefined => {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== kind.ref.kind || ref.apiVersion !== apiVersionOf(kind.ref)) return undefined;
    return `${pod.metadata.namespace}/${ref.name}`;
  };
  const enqueueMatching = (pod: Readonly<Pod>) => {
    for (const o of owners.byIndex('namespace', pod.metadata.namespace ?? '')) {
      if (selectorOf(o)?.matches(pod.metadata.labels)) queue.add(keyOf(o));
    }
  };
  /**
   * While creations or deletions are still outstanding a sync can only recount them, so it waits out
   * the batch period; the change that settles the expectations syncs at once (the next burst).
   */
  const enqueueObserved = (ownerKey: string) => {
    if (expectations.isSatisfied(ownerKey)) queue.add(ownerKey);
    else queue.addAfter(ownerKey, podStatusBatchMs);
  };
  const onPodChange = (pod: Readonly<Pod>, created: boolean) => {
    const ownerKey = ownerKeyOf(pod);
    if (ownerKey) {
      if (pod.metadata.deletionTimestamp) expectations.deletionObserved(ownerKey, keyOf(pod));
      else if (created) expectations.creationObserved(ownerKey);
      enqueueObserved(ownerKey);
    } else if (!controllerOf(pod)) {
      enqueueMatching(pod);
    }
  };
  owners.addHandlers({
    onAdd: (o) => queue.add(keyOf(o)),
    onUpdate: (_old, o) => queue.add(keyOf(o)),
    onDelete: (o) => queue.add(keyOf(o)),
  });
  podInformer.addHandlers({
    onAdd: (pod) => onPodChange(pod, true),
    onUpdate(old, pod) {
      // A pod that changed owner or labels may matter to its former owner too.
      const oldOwner = ownerKeyOf(old);
      if (oldOwner && oldOwner !== ownerKeyOf(pod)) queue.add(oldOwner);
      else if (!controllerOf(old) && old.metadata.labels !== pod.metadata.labels) enqueueMatching(old);
      const ownerKey = ownerKeyOf(pod);
      if (ownerKey && isStatusOnlyChange(old, pod)) queue.addAfter(ownerKey, podStatusBatchMs);
      else onPodChange(pod, false);
    },
    onDelete(pod) {
      const ownerKey = ownerKeyOf(pod);
      if (ownerKey) {
        expectations.deletionObserved(ownerKey, keyOf(pod));
        // A pod seen terminating already stopped counting; its removal only needs the batched sync.
        if (pod.metadata.deletionTimestamp) queue.addAfter(ownerKey, podStatusBatchMs);
        else enqueueObserved(ownerKey);
      } else if (!controllerOf(pod)) enqueueMatching(pod);
    },
  });

  /** Pods of this owner's siblings (ReplicaSets of one Deployment), for the deletion ranking. */
  function relatedPods(owner: Readonly<T>, own: readonly Readonly<Pod>[]): Readonly<Pod>[] {
    const parent = controllerOf(owner);
    if (!parent) return [...own];
    return owners
      .byIndex(byControllerUID, parent.uid)
      .flatMap((sibling) => podInformer.byIndex(byControllerUID, sibling.metadata.uid ?? ''));
  }

  async function manageReplicas(
    owner: Readonly<T>,
    active: readonly Readonly<Pod>[],
  ): Promise<ManageError | undefined> {
    const key = keyOf(owner);
    const diff = active.length - (owner.spec?.replicas ?? 1);
    if (diff < 0) {
      return podControl.createPods(key, owner, owner.spec?.template ?? {}, Math.min(-diff, burstReplicas));
    }
    if (diff > 0) {
      const count = Math.min(diff, burstReplicas);
      return podControl.deletePods(key, owner, active, relatedPods(owner, active), count, clock.now());
    }
    return undefined;
  }

  async function writeStatus(owner: Readonly<T>, status: ReplicaSetStatus): Promise<void> {
    try {
      await api.updateStatus({ ...owner, status } as T);
    } catch (err) {
      if (!(isStatusError(err) && err.code === 409)) throw err;
      // The cache was behind; one retry on the stored object, as the replicaset controller does.
      const { namespace, name } = splitKey(keyOf(owner));
      const fresh = await api.get(name, namespace);
      if (fresh.metadata.uid !== owner.metadata.uid) return;
      await api.updateStatus({ ...fresh, status: { ...status, observedGeneration: fresh.metadata.generation } });
    }
  }

  async function reconcile(key: string): Promise<void> {
    const owner = owners.get(key);
    if (!owner) {
      expectations.forget(key);
      return;
    }
    const selector = selectorOf(owner);
    if (!selector) return;
    const needsSync = expectations.isSatisfied(key);
    const { namespace, name } = splitKey(key);
    const candidates = (list: readonly Readonly<Pod>[]) => list.filter(isPodActive);
    const active = await claim({
      owner,
      selector,
      owned: candidates(podInformer.byIndex(byControllerUID, owner.metadata.uid ?? '')),
      orphans: candidates(podInformer.byIndex(orphansByNamespace, namespace ?? '')),
      api: podApi,
      canAdopt: async () => {
        const fresh = await api.get(name, namespace);
        return fresh.metadata.uid === owner.metadata.uid && !fresh.metadata.deletionTimestamp;
      },
    });
    const manageError =
      needsSync && !owner.metadata.deletionTimestamp ? await manageReplicas(owner, active) : undefined;
    const now = clock.now();
    const status = calculateStatus(owner, active, manageError, now);
    if (!sameReplicaStatus(owner.status, status)) await writeStatus(owner, status);
    if (manageError) throw new Error(manageError.message);
    // A pod that is ready but not yet available becomes available without any event: look again then.
    const minReadySeconds = owner.spec?.minReadySeconds ?? 0;
    const replicas = status.replicas;
    if (
      minReadySeconds > 0 &&
      (status.readyReplicas ?? 0) === replicas &&
      (status.availableReplicas ?? 0) !== replicas
    ) {
      queue.addAfter(key, minReadySeconds * 1000);
    }
  }

  return { name: kind.name, queue, workers: 5, reconcile };
}

function apiVersionOf(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

export const replicaSetKind: ReplicaKind<ReplicaSet> = {
  ref: replicaSets,
  name: 'replicaset',
  component: 'replicaset-controller',
  // apps/v1 requires a non-empty selector; an empty one would select every pod in the namespace.
  selectorOf: (rs) => {
    const selector = rs.spec?.selector ? labelSelectorFromSpec(rs.spec.selector) : undefined;
    return selector && !selector.isEmpty ? selector : undefined;
  },
};

export function replicaSetController(d: ReplicaControllerDeps) {
  return createReplicaController(replicaSetKind, d);
}
