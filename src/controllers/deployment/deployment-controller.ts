/**
 * The deployment controller (kube-controller-manager's deployment controller): owns ReplicaSets by
 * selector and controller reference, rolls the pod template out with RollingUpdate (maxSurge,
 * maxUnavailable) or Recreate, scales proportionally when replicas change mid-rollout, honours pause,
 * keeps revisionHistoryLimit old ReplicaSets, and reports status with the Available and Progressing
 * conditions (progressDeadlineSeconds).
 */
import {
  deployments as deploymentsRef,
  pods as podsRef,
  replicaSets as replicaSetsRef,
} from '../../client/resources.ts';
import type { KubeClient } from '../../client/types.ts';
import { createEventRecorder, type EventRecorder } from '../../events/recorder.ts';
import { type LabelSelector, labelSelectorFromSpec } from '../../selectors/index.ts';
import { isStatusError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import {
  byControllerUID,
  claim,
  controllerOf,
  controllerUIDIndex,
  orphanIndex,
  orphansByNamespace,
} from '../pod-control/owner.ts';
import type { Pod, ReplicaSet } from '../pod-control/types.ts';
import { byNamespace, keyOf, splitKey } from '../runtime/cache.ts';
import { type Clock, realClock, toTime } from '../runtime/clock.ts';
import type { Informer } from '../runtime/informer.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import { getCondition, messages, newCondition, reasons, setCondition } from './conditions.ts';
import { createWrites } from './replica-set-writes.ts';
import { createRollout, type RolloutState } from './rollout.ts';
import { calculateStatus, rolloutStatus, sameStatus } from './status.ts';
import type { Deployment } from './types.ts';

export interface DeploymentControllerDeps {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
  recorder?: EventRecorder;
}

export function deploymentController(
  d: DeploymentControllerDeps,
): Controller & { reconcile(key: string): Promise<void> } {
  const clock = d.clock ?? realClock;
  const recorder =
    d.recorder ?? createEventRecorder(d.client, { component: 'deployment-controller' }, () => clock.now());
  const queue = createWorkQueue({ clock });
  const deploymentInformer: Informer<Deployment> = d.informers.informerFor(deploymentsRef);
  const rsInformer: Informer<ReplicaSet> = d.informers.informerFor(replicaSetsRef);
  const podInformer: Informer<Pod> = d.informers.informerFor(podsRef);
  deploymentInformer.addIndex('namespace', byNamespace);
  rsInformer.addIndex(byControllerUID, controllerUIDIndex);
  rsInformer.addIndex(orphansByNamespace, orphanIndex);
  podInformer.addIndex(byControllerUID, controllerUIDIndex);
  const deploymentApi = d.client.resource(deploymentsRef);
  const rsApi = d.client.resource(replicaSetsRef);
  const writes = createWrites({ replicaSets: rsApi, deployments: deploymentApi, recorder, now: () => clock.now() });
  const rollout = createRollout({
    ...writes,
    async deleteReplicaSet(rs) {
      await rsApi.delete(rs.metadata.name ?? '', rs.metadata.namespace).catch((err: unknown) => {
        if (!(isStatusError(err) && err.code === 404)) throw err;
      });
    },
  });

  const selectors = new WeakMap<object, LabelSelector>();
  const selectorOf = (o: Readonly<Deployment>) => {
    const known = selectors.get(o);
    if (known) return known;
    const compiled = labelSelectorFromSpec(o.spec?.selector);
    selectors.set(o, compiled);
    return compiled;
  };
  const ownerKeyOf = (o: Readonly<KubeObject>): string | undefined => {
    const ref = controllerOf(o);
    return ref?.kind === 'Deployment' && ref.apiVersion === 'apps/v1'
      ? `${o.metadata.namespace}/${ref.name}`
      : undefined;
  };
  const enqueueOwnerOrMatching = (rs: Readonly<ReplicaSet>) => {
    const owner = ownerKeyOf(rs);
    if (owner) return queue.add(owner);
    if (controllerOf(rs)) return;
    for (const dep of deploymentInformer.byIndex('namespace', rs.metadata.namespace ?? '')) {
      const s = selectorOf(dep);
      if (!s.isEmpty && s.matches(rs.metadata.labels)) queue.add(keyOf(dep));
    }
  };
  deploymentInformer.addHandlers({
    onAdd: (o) => queue.add(keyOf(o)),
    onUpdate: (_old, o) => queue.add(keyOf(o)),
    onDelete: (o) => queue.add(keyOf(o)),
  });
  rsInformer.addHandlers({
    onAdd: enqueueOwnerOrMatching,
    onUpdate(old, rs) {
      const before = ownerKeyOf(old);
      if (before && before !== ownerKeyOf(rs)) queue.add(before);
      enqueueOwnerOrMatching(rs);
    },
    onDelete: enqueueOwnerOrMatching,
  });
  // A Recreate rollout waits for the old pods to be gone; their deletion is what it waits for.
  podInformer.addHandlers({
    onDelete(pod) {
      const ref = controllerOf(pod);
      if (ref?.kind !== 'ReplicaSet') return;
      const rs = rsInformer.getByName(pod.metadata.namespace, ref.name);
      const owner = rs && ownerKeyOf(rs);
      if (owner) queue.add(owner);
    },
  });

  async function writeStatus(dep: Deployment, status: Deployment['status']): Promise<void> {
    if (sameStatus(dep.status, status ?? {})) return;
    dep.status = status;
    await writes.updateStatus(dep);
  }

  /** checkPausedConditions: Progressing turns Unknown with DeploymentPaused / DeploymentResumed. */
  async function syncPausedCondition(dep: Deployment): Promise<void> {
    if (dep.spec?.progressDeadlineSeconds === undefined) return;
    const current = getCondition(dep.status, 'Progressing');
    if (current?.reason === reasons.progressDeadlineExceeded) return;
    const pausedNoted = current?.reason === reasons.paused;
    const at = toTime(clock.now());
    dep.status ??= {};
    if (dep.spec.paused && !pausedNoted) {
      setCondition(dep.status, newCondition('Progressing', 'Unknown', reasons.paused, messages.paused, at));
    } else if (!dep.spec.paused && pausedNoted) {
      setCondition(dep.status, newCondition('Progressing', 'Unknown', reasons.resumed, messages.resumed, at));
    } else return;
    await writes.updateStatus(dep);
  }

  const all = (s: RolloutState) => (s.newRS ? [...s.old, s.newRS] : s.old);

  async function reconcile(key: string): Promise<void> {
    const cached = deploymentInformer.get(key);
    if (!cached) return;
    const dep = structuredClone(cached) as Deployment;
    const selector = selectorOf(cached);
    if (selector.isEmpty) {
      recorder.event(
        dep,
        'Warning',
        'SelectingAll',
        'This deployment is selecting all pods. A non-empty selector is required.',
      );
      if ((dep.status?.observedGeneration ?? 0) < (dep.metadata.generation ?? 0)) {
        await writes.updateStatus({
          ...dep,
          status: { ...dep.status, observedGeneration: dep.metadata.generation ?? 0 },
        });
      }
      return;
    }
    const { namespace, name } = splitKey(key);
    const list = await claim({
      owner: dep,
      selector,
      owned: rsInformer.byIndex(byControllerUID, dep.metadata.uid ?? ''),
      orphans: rsInformer.byIndex(orphansByNamespace, namespace ?? ''),
      api: rsApi,
      canAdopt: async () => {
        const fresh = await deploymentApi.get(name, namespace);
        return fresh.metadata.uid === dep.metadata.uid && !fresh.metadata.deletionTimestamp;
      },
    });
    const now = () => clock.now();

    if (dep.metadata.deletionTimestamp) {
      const s = await rollout.load(dep, list, false);
      return writeStatus(dep, calculateStatus(all(s), s.newRS, dep, now()));
    }
    await syncPausedCondition(dep);
    if (dep.spec?.paused || rollout.isScalingEvent(dep, await rollout.load(dep, list, false))) {
      const s = await rollout.load(dep, list, false);
      await rollout.scale(dep, s);
      if (dep.spec?.paused) await rollout.cleanup(dep, s.old);
      return writeStatus(dep, calculateStatus(all(s), s.newRS, dep, now()));
    }
    const s =
      dep.spec?.strategy?.type === 'Recreate'
        ? await rollout.recreate(dep, list, (uid) => podInformer.byIndex(byControllerUID, uid))
        : await rollout.load(dep, list, true);
    if (dep.spec?.strategy?.type !== 'Recreate') await rollout.rolling(dep, s);
    const result = rolloutStatus(all(s), s.newRS, dep, now());
    await writeStatus(dep, result.status);
    if (result.recheckAfterMs !== undefined) queue.addAfter(key, result.recheckAfterMs);
  }

  return { name: 'deployment', queue, workers: 5, reconcile };
}
