/**
 * The StatefulSet controller (kube-controller-manager's statefulset controller): pods with stable
 * names and ordinals, created in order and each only once its predecessors are Running and Ready
 * (OrderedReady) or all at once (Parallel); removed from the highest ordinal down; a claim per
 * volumeClaimTemplate before its pod; updates as ControllerRevisions, rolled out from the highest
 * ordinal down to the partition (RollingUpdate) or left to the user (OnDelete).
 */
import { persistentVolumeClaims, pods as podsRef, statefulSets } from '../../client/resources.ts';
import type { KubeClient } from '../../client/types.ts';
import { createEventRecorder, type EventRecorder } from '../../events/recorder.ts';
import { labelSelectorFromSpec } from '../../selectors/index.ts';
import { isStatusError } from '../../status.ts';
import {
  type ControllerRevision,
  controllerRevisionHashLabel,
  controllerRevisionsRef,
  reconcileRevisions,
  revisionsToPrune,
  templateOf,
} from '../history/controller-revision.ts';
import {
  byControllerUID,
  claim,
  controllerOf,
  controllerUIDIndex,
  orphanIndex,
  orphansByNamespace,
} from '../pod-control/owner.ts';
import type { Pod } from '../pod-control/types.ts';
import { keyOf, splitKey } from '../runtime/cache.ts';
import { type Clock, realClock } from '../runtime/clock.ts';
import type { Informer } from '../runtime/informer.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import { claimsFor, ordinalOf, replicasOf, startOrdinal, statefulSetPod } from './identity.ts';
import { calculateStatus, isRunningAndReady, sameStatus } from './statefulset-status.ts';
import type { PersistentVolumeClaim, StatefulSet } from './types.ts';

const isTerminal = (p: Readonly<Pod>) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export function statefulSetController(d: {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
  recorder?: EventRecorder;
}): Controller & { reconcile(key: string): Promise<void> } {
  const clock = d.clock ?? realClock;
  const recorder =
    d.recorder ?? createEventRecorder(d.client, { component: 'statefulset-controller' }, () => clock.now());
  const queue = createWorkQueue({ clock });
  const sets: Informer<StatefulSet> = d.informers.informerFor(statefulSets);
  const podInformer: Informer<Pod> = d.informers.informerFor(podsRef);
  const revisionInformer: Informer<ControllerRevision> = d.informers.informerFor(controllerRevisionsRef);
  const claimInformer: Informer<PersistentVolumeClaim> = d.informers.informerFor(persistentVolumeClaims);
  podInformer.addIndex(byControllerUID, controllerUIDIndex);
  podInformer.addIndex(orphansByNamespace, orphanIndex);
  revisionInformer.addIndex(byControllerUID, controllerUIDIndex);
  const api = d.client.resource(statefulSets);
  const podApi = d.client.resource(podsRef);
  const revisionApi = d.client.resource(controllerRevisionsRef);
  const claimApi = d.client.resource(persistentVolumeClaims);

  const ownerKeyOf = (o: Readonly<Pod | ControllerRevision>) => {
    const ref = controllerOf(o);
    return ref?.kind === 'StatefulSet' && ref.apiVersion === 'apps/v1'
      ? `${o.metadata.namespace}/${ref.name}`
      : undefined;
  };
  const enqueueOwner = (o: Readonly<Pod | ControllerRevision>) => {
    const key = ownerKeyOf(o);
    if (key) queue.add(key);
  };
  sets.addHandlers({ onAdd: (s) => queue.add(keyOf(s)), onUpdate: (_o, s) => queue.add(keyOf(s)) });
  podInformer.addHandlers({ onAdd: enqueueOwner, onUpdate: (_o, p) => enqueueOwner(p), onDelete: enqueueOwner });
  revisionInformer.addHandlers({ onDelete: enqueueOwner });

  const podEvent = (set: Readonly<StatefulSet>, verb: 'create' | 'delete', pod: string) =>
    recorder.event(
      set,
      'Normal',
      verb === 'create' ? 'SuccessfulCreate' : 'SuccessfulDelete',
      `${verb} Pod ${pod} in StatefulSet ${set.metadata.name} successful`,
    );

  async function createPod(set: Readonly<StatefulSet>, pod: Pod): Promise<void> {
    const ordinal = Number(pod.metadata.labels?.['apps.kubernetes.io/pod-index']);
    for (const claimObject of claimsFor(set, ordinal)) {
      if (claimInformer.getByName(claimObject.metadata.namespace, claimObject.metadata.name ?? '')) continue;
      try {
        await claimApi.create(claimObject);
        recorder.event(
          set,
          'Normal',
          'SuccessfulCreate',
          `create Claim ${claimObject.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`,
        );
      } catch (err) {
        if (!(isStatusError(err) && err.code === 409)) throw err;
      }
    }
    try {
      await podApi.create(pod);
      podEvent(set, 'create', pod.metadata.name ?? '');
    } catch (err) {
      if (isStatusError(err) && err.code === 409) return;
      recorder.event(
        set,
        'Warning',
        'FailedCreate',
        `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${err instanceof Error ? err.message : err}`,
      );
      throw err;
    }
  }

  async function deletePod(set: Readonly<StatefulSet>, pod: Readonly<Pod>, isScaleDown: boolean): Promise<void> {
    const ordinal = ordinalOf(set, pod);
    // whenScaled Delete: the claims of a removed ordinal belong to its pod, so they go with it.
    if (
      isScaleDown &&
      ordinal !== undefined &&
      set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete'
    ) {
      for (const c of claimsFor(set, ordinal)) {
        const ownerReferences = [
          {
            apiVersion: 'v1',
            kind: 'Pod',
            name: pod.metadata.name ?? '',
            uid: pod.metadata.uid ?? '',
            blockOwnerDeletion: true,
          },
        ];
        await claimApi
          .patch(c.metadata.name ?? '', c.metadata.namespace, 'merge', { metadata: { ownerReferences } })
          .catch((err: unknown) => {
            if (!(isStatusError(err) && err.code === 404)) throw err;
          });
      }
    }
    try {
      await podApi.delete(pod.metadata.name ?? '', pod.metadata.namespace);
      podEvent(set, 'delete', pod.metadata.name ?? '');
    } catch (err) {
      if (!(isStatusError(err) && err.code === 404)) throw err;
    }
  }

  /** One step towards the spec; the informers' events bring the next. */
  async function act(
    set: Readonly<StatefulSet>,
    owned: readonly Readonly<Pod>[],
    revisions: { current: Readonly<ControllerRevision>; update: Readonly<ControllerRevision> },
  ): Promise<void> {
    const start = startOrdinal(set);
    const replicas = replicasOf(set);
    const isOrdered = set.spec?.podManagementPolicy !== 'Parallel';
    const slots: Array<Readonly<Pod> | undefined> = Array.from({ length: replicas }, () => undefined);
    const condemned: Readonly<Pod>[] = [];
    for (const pod of owned) {
      const ordinal = ordinalOf(set, pod);
      if (ordinal === undefined) continue;
      if (ordinal >= start && ordinal < start + replicas) slots[ordinal - start] = pod;
      else condemned.push(pod);
    }
    condemned.sort((a, b) => (ordinalOf(set, b) ?? 0) - (ordinalOf(set, a) ?? 0));
    const strategy = set.spec?.updateStrategy;
    const isRolling = (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const partition = isRolling ? (strategy?.rollingUpdate?.partition ?? 0) : 0;
    const versionedPod = (ordinal: number) =>
      isRolling && ordinal < start + partition
        ? statefulSetPod(set, templateOf(revisions.current), ordinal, revisions.current.metadata.name ?? '')
        : statefulSetPod(set, set.spec?.template ?? {}, ordinal, revisions.update.metadata.name ?? '');

    // Finished pods are replaced under the same name: delete now, recreate once the delete is seen.
    for (const pod of slots) {
      if (pod && isTerminal(pod) && !pod.metadata.deletionTimestamp) {
        await deletePod(set, pod, false);
        if (isOrdered) return;
      }
    }
    for (const [i, pod] of slots.entries()) {
      if (!pod) {
        await createPod(set, versionedPod(start + i));
        if (isOrdered) return;
        continue;
      }
      if (isOrdered && (pod.metadata.deletionTimestamp || !isRunningAndReady(pod))) return;
    }
    const allHealthy = slots.every((p) => p && !p.metadata.deletionTimestamp && isRunningAndReady(p));
    for (const pod of condemned) {
      if (pod.metadata.deletionTimestamp) {
        if (isOrdered) return;
        continue;
      }
      if (isOrdered && !allHealthy) return;
      await deletePod(set, pod, true);
      if (isOrdered) return;
    }
    if (!isRolling || !allHealthy || condemned.length) return;
    // Rolling update: replace the highest ordinal not on the update revision, one pod at a time.
    for (let i = slots.length - 1; i >= partition; i--) {
      const pod = slots[i];
      if (pod && pod.metadata.labels?.[controllerRevisionHashLabel] !== revisions.update.metadata.name) {
        await deletePod(set, pod, false);
        return;
      }
    }
  }

  async function reconcile(key: string): Promise<void> {
    const set = sets.get(key);
    if (!set || set.metadata.deletionTimestamp) return;
    const selector = set.spec?.selector ? labelSelectorFromSpec(set.spec.selector) : undefined;
    if (!selector || selector.isEmpty) return;
    const { namespace, name } = splitKey(key);
    const owned = await claim({
      owner: set,
      selector,
      owned: podInformer.byIndex(byControllerUID, set.metadata.uid ?? ''),
      orphans: podInformer.byIndex(orphansByNamespace, namespace ?? ''),
      api: podApi,
      canAdopt: async () => {
        const fresh = await api.get(name, namespace);
        return fresh.metadata.uid === set.metadata.uid && !fresh.metadata.deletionTimestamp;
      },
    });
    const ownedRevisions = revisionInformer.byIndex(byControllerUID, set.metadata.uid ?? '');
    const revisions = await reconcileRevisions(revisionApi, set, ownedRevisions, set.status?.currentRevision);
    await act(set, owned, revisions);

    const now = clock.now();
    const status = calculateStatus(
      set,
      owned,
      {
        current: revisions.current.metadata.name ?? '',
        update: revisions.update.metadata.name ?? '',
        collisionCount: revisions.collisionCount,
      },
      now,
    );
    if (!sameStatus(set.status, status)) await api.updateStatus({ ...set, status } as StatefulSet);

    const inUse = new Set<string>([status.currentRevision ?? '', status.updateRevision ?? '']);
    for (const pod of owned) inUse.add(pod.metadata.labels?.[controllerRevisionHashLabel] ?? '');
    const all = revisionInformer.byIndex(byControllerUID, set.metadata.uid ?? '');
    for (const r of revisionsToPrune(all, inUse, set.spec?.revisionHistoryLimit ?? 10)) {
      await revisionApi.delete(r.metadata.name ?? '', r.metadata.namespace).catch((err: unknown) => {
        if (!(isStatusError(err) && err.code === 404)) throw err;
      });
    }
    const minReadySeconds = set.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && (status.availableReplicas ?? 0) < (status.readyReplicas ?? 0)) {
      queue.addAfter(key, minReadySeconds * 1000);
    }
  }

  return { name: 'statefulset', queue, workers: 5, reconcile };
}
