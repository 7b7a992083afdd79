/**
 * The DaemonSet controller (kube-controller-manager's daemonset controller): one pod on every
 * eligible node (nodeSelector, node affinity, taints and tolerations), none elsewhere; pods for new
 * nodes as they register; template changes as ControllerRevisions, rolled out with maxUnavailable
 * and maxSurge (RollingUpdate) or left to the user (OnDelete). The scheduler binds each pod to its
 * node through the node affinity the pod carries, as in Kubernetes.
 */
import { daemonSets, nodes as nodesRef, pods as podsRef } from '../../client/resources.ts';
import type { KubeClient } from '../../client/types.ts';
import { createEventRecorder, type EventRecorder } from '../../events/recorder.ts';
import type { Node } from '../../scheduler/types.ts';
import { labelSelectorFromSpec } from '../../selectors/index.ts';
import { isStatusError } from '../../status.ts';
import {
  type ControllerRevision,
  controllerRevisionHashLabel,
  controllerRevisionsRef,
  hashOf,
  reconcileRevisions,
  revisionsToPrune,
} from '../history/controller-revision.ts';
import { createExpectations } from '../pod-control/expectations.ts';
import {
  byControllerUID,
  claim,
  controllerOf,
  controllerUIDIndex,
  orphanIndex,
  orphansByNamespace,
} from '../pod-control/owner.ts';
import { isPodAvailable } from '../pod-control/pod-state.ts';
import type { Pod } from '../pod-control/types.ts';
import { keyOf, splitKey } from '../runtime/cache.ts';
import { type Clock, realClock } from '../runtime/clock.ts';
import type { Informer } from '../runtime/informer.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import { daemonPod, nodeOfDaemonPod } from './daemon-pod.ts';
import { calculateStatus, sameStatus } from './daemonset-status.ts';
import { shouldRunOn } from './node-eligibility.ts';
import { type NodeState, rolloutBudget, rolloutStep } from './rolling-update.ts';
import type { DaemonSet } from './types.ts';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function daemonSetController(d: {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
  recorder?: EventRecorder;
}): Controller & { reconcile(key: string): Promise<void> } {
  const clock = d.clock ?? realClock;
  const recorder =
    d.recorder ?? createEventRecorder(d.client, { component: 'daemonset-controller' }, () => clock.now());
  const queue = createWorkQueue({ clock });
  const expectations = createExpectations(clock);
  const sets: Informer<DaemonSet> = d.informers.informerFor(daemonSets);
  const podInformer: Informer<Pod> = d.informers.informerFor(podsRef);
  const nodeInformer = d.informers.informerFor(nodesRef) as unknown as Informer<Node & DaemonSet>;
  const revisionInformer: Informer<ControllerRevision> = d.informers.informerFor(controllerRevisionsRef);
  podInformer.addIndex(byControllerUID, controllerUIDIndex);
  podInformer.addIndex(orphansByNamespace, orphanIndex);
  revisionInformer.addIndex(byControllerUID, controllerUIDIndex);
  const api = d.client.resource(daemonSets);
  const podApi = d.client.resource(podsRef);
  const revisionApi = d.client.resource(controllerRevisionsRef);

  const ownerKeyOf = (p: Readonly<Pod>) => {
    const ref = controllerOf(p);
    return ref?.kind === 'DaemonSet' && ref.apiVersion === 'apps/v1'
      ? `${p.metadata.namespace}/${ref.name}`
      : undefined;
  };
  const enqueueAll = () => {
    for (const ds of sets.list()) queue.add(keyOf(ds));
  };
  sets.addHandlers({ onAdd: (s) => queue.add(keyOf(s)), onUpdate: (_o, s) => queue.add(keyOf(s)) });
  podInformer.addHandlers({
    onAdd(pod) {
      const key = ownerKeyOf(pod);
      if (!key) return;
      expectations.creationObserved(key);
      queue.add(key);
    },
    onUpdate: (_o, pod) => {
      const key = ownerKeyOf(pod);
      if (key) queue.add(key);
    },
    onDelete: (pod) => {
      const key = ownerKeyOf(pod);
      if (key) queue.add(key);
    },
  });
  // A node that registers or changes labels or taints can change every DaemonSet's placement.
  nodeInformer.addHandlers({
    onAdd: enqueueAll,
    onUpdate: (old, node) => {
      const changed =
        JSON.stringify(old.metadata.labels) !== JSON.stringify(node.metadata.labels) ||
        JSON.stringify(old.spec?.taints) !== JSON.stringify(node.spec?.taints);
      if (changed) enqueueAll();
    },
    onDelete: enqueueAll,
  });

  async function createPods(ds: Readonly<DaemonSet>, key: string, nodeNames: readonly string[], hash: string) {
    expectations.expectCreations(key, nodeNames.length);
    const failures: unknown[] = [];
    await Promise.all(
      nodeNames.map(async (node) => {
        try {
          const created = await podApi.create(daemonPod(ds, node, hash));
          recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        } catch (err) {
          expectations.creationObserved(key);
          recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${messageOf(err)}`);
          failures.push(err);
        }
      }),
    );
    if (failures.length) throw failures[0];
  }

  async function deletePods(ds: Readonly<DaemonSet>, names: readonly string[]) {
    await Promise.all(
      names.map(async (name) => {
        try {
          await podApi.delete(name, ds.metadata.namespace);
          recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (err) {
          if (!(isStatusError(err) && err.code === 404)) throw err;
        }
      }),
    );
  }

  async function reconcile(key: string): Promise<void> {
    const ds = sets.get(key);
    if (!ds) {
      expectations.forget(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const selector = ds.spec?.selector ? labelSelectorFromSpec(ds.spec.selector) : undefined;
    if (!selector || selector.isEmpty) return;
    const { namespace, name } = splitKey(key);
    const owned = await claim({
      owner: ds,
      selector,
      owned: podInformer.byIndex(byControllerUID, ds.metadata.uid ?? ''),
      orphans: podInformer.byIndex(orphansByNamespace, namespace ?? ''),
      api: podApi,
      canAdopt: async () => {
        const fresh = await api.get(name, namespace);
        return fresh.metadata.uid === ds.metadata.uid && !fresh.metadata.deletionTimestamp;
      },
    });
    const ownedRevisions = revisionInformer.byIndex(byControllerUID, ds.metadata.uid ?? '');
    const { update, collisionCount } = await reconcileRevisions(revisionApi, ds, ownedRevisions, undefined);
    const hash = hashOf(update);
    const now = clock.now();
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;

    const byNode = new Map<string, Readonly<Pod>[]>();
    for (const pod of owned) {
      const node = nodeOfDaemonPod(pod);
      if (node) byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    const nodes = nodeInformer.list();
    const eligible = new Set(nodes.filter((n) => shouldRunOn(ds, n)).map((n) => n.metadata.name ?? ''));
    const toCreate: string[] = [];
    const toDelete: string[] = [];
    const states: NodeState[] = [];
    const isUpdated = (p: Readonly<Pod>) => p.metadata.labels?.[controllerRevisionHashLabel] === hash;
    for (const node of nodes) {
      const nodeName = node.metadata.name ?? '';
      const live = (byNode.get(nodeName) ?? []).filter((p) => !p.metadata.deletionTimestamp);
      if (!eligible.has(nodeName)) {
        toDelete.push(...live.map((p) => p.metadata.name ?? ''));
        continue;
      }
      // A failed daemon pod is replaced: deleted now, recreated once the delete is seen.
      const failed = live.filter((p) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded');
      toDelete.push(...failed.map((p) => p.metadata.name ?? ''));
      const running = live.filter((p) => !failed.includes(p));
      const terminating = (byNode.get(nodeName) ?? []).some((p) => p.metadata.deletionTimestamp);
      if (!running.length) {
        if (!terminating && !failed.length) toCreate.push(nodeName);
        // No available pod here (its old one is still terminating, or the new one is not created yet):
        // the node counts against maxUnavailable, or a rollout would take down the next node meanwhile.
        states.push({ node: nodeName, old: [] });
        continue;
      }
      const updated = running.filter(isUpdated);
      const old = running.filter((p) => !isUpdated(p));
      // More than one pod per revision on a node is an excess; the oldest stays.
      const byAge = (list: Readonly<Pod>[]) =>
        [...list].sort((a, b) =>
          (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
        );
      toDelete.push(
        ...byAge(updated)
          .slice(1)
          .map((p) => p.metadata.name ?? ''),
      );
      const keptUpdated = byAge(updated)[0];
      const state: NodeState = {
        node: nodeName,
        old: old.map((p) => ({ name: p.metadata.name ?? '', isAvailable: isPodAvailable(p, minReadySeconds, now) })),
      };
      if (keptUpdated) {
        state.updated = {
          name: keptUpdated.metadata.name ?? '',
          isAvailable: isPodAvailable(keptUpdated, minReadySeconds, now),
        };
      }
      states.push(state);
    }
    for (const [node, list] of byNode) {
      if (!nodes.some((n) => n.metadata.name === node)) {
        toDelete.push(...list.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? ''));
      }
    }
    if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const step = rolloutStep(states, rolloutBudget(ds, eligible.size));
      toDelete.push(...step.deletions);
      toCreate.push(...step.surgeNodes);
    }
    if (expectations.isSatisfied(key) && toCreate.length) await createPods(ds, key, toCreate, hash);
    if (toDelete.length) await deletePods(ds, [...new Set(toDelete)]);

    const status = calculateStatus(ds, nodes, eligible, byNode, { hash, collisionCount, now });
    if (!sameStatus(ds.status, status)) await api.updateStatus({ ...ds, status } as DaemonSet);

    const inUse = new Set<string>([hash]);
    for (const pod of owned) inUse.add(pod.metadata.labels?.[controllerRevisionHashLabel] ?? '');
    for (const r of revisionsToPrune(ownedRevisions, inUse, ds.spec?.revisionHistoryLimit ?? 10)) {
      await revisionApi.delete(r.metadata.name ?? '', r.metadata.namespace).catch((err: unknown) => {
        if (!(isStatusError(err) && err.code === 404)) throw err;
      });
    }
    if (minReadySeconds > 0 && (status.numberAvailable ?? 0) < status.numberReady) {
      queue.addAfter(key, minReadySeconds * 1000);
    }
  }

  return { name: 'daemonset', queue, workers: 2, reconcile };
}
