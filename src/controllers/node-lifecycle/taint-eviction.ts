/**
 * Taint-based eviction (kube-controller-manager's taint-eviction-controller): a pod on a node with a
 * NoExecute taint it does not tolerate is deleted at once; one it tolerates for tolerationSeconds is
 * deleted when that time has passed since the taint was added. Before deleting, the pod gets the
 * DisruptionTarget condition (DeletionByTaintManager) and a TaintManagerEviction event.
 */
import { disruptionTarget, withDisruptionTarget } from '../../client/disruption-target.ts';
import { nodes as nodesRef, pods as podsRef } from '../../client/resources.ts';
import type { KubeClient, ResourceRef } from '../../client/types.ts';
import { createEventRecorder, type EventRecorder } from '../../events/recorder.ts';
import type { Node, Pod } from '../../nodes/api-types.ts';
import { isStatusError } from '../../status.ts';
import { byNodeName, keyOf, splitKey } from '../runtime/cache.ts';
import { type Clock, realClock, toTime } from '../runtime/clock.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import type { Taint } from './node-health.ts';
import { evictionTime, type Toleration } from './tolerations.ts';

type TolerantPod = Pod & { spec: Pod['spec'] & { tolerations?: Toleration[] } };

const ignoreNotFound = (err: unknown) => {
  if (!(isStatusError(err) && err.code === 404)) throw err;
};

export function taintEvictionController(d: {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
  recorder?: EventRecorder;
}): Controller & { reconcile(key: string): Promise<void> } {
  const clock = d.clock ?? realClock;
  const recorder =
    d.recorder ?? createEventRecorder(d.client, { component: 'taint-eviction-controller' }, () => clock.now());
  const queue = createWorkQueue({ clock });
  const podRef = podsRef as ResourceRef<TolerantPod>;
  const nodeInformer = d.informers.informerFor(nodesRef as ResourceRef<Node>);
  const podInformer = d.informers.informerFor(podRef);
  podInformer.addIndex('nodeName', byNodeName);
  const enqueuePod = (p: Readonly<TolerantPod>) => {
    if (p.spec.nodeName && !p.metadata.deletionTimestamp) queue.add(keyOf(p));
  };
  podInformer.addHandlers({ onAdd: enqueuePod, onUpdate: (_o, p) => enqueuePod(p) });
  const noExecute = (n: Readonly<Node> | undefined) =>
    JSON.stringify((n?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute'));
  nodeInformer.addHandlers({
    onUpdate(old, node) {
      if (noExecute(old) === noExecute(node)) return;
      for (const p of podInformer.byIndex('nodeName', node.metadata.name ?? '')) enqueuePod(p);
    },
  });
  const api = d.client.resource(podRef);

  async function reconcile(key: string): Promise<void> {
    const pod = podInformer.get(key);
    if (!pod?.spec.nodeName || pod.metadata.deletionTimestamp) return;
    const taints = (nodeInformer.getByName(undefined, pod.spec.nodeName)?.spec?.taints ?? []) as Taint[];
    const now = clock.now();
    const due = evictionTime(taints, pod.spec.tolerations ?? [], now);
    if (due === undefined) return;
    if (due > now) return queue.addAfter(key, due - now);
    const { namespace, name } = splitKey(key);
    const conditions = withDisruptionTarget(
      pod.status?.conditions,
      disruptionTarget('DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint', toTime(now)),
    );
    await api.updateStatus({ ...structuredClone(pod), status: { ...pod.status, conditions } }).catch(ignoreNotFound);
    recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
    await api.delete(name, namespace).catch(ignoreNotFound);
  }
  return { name: 'taint-eviction-controller', queue, workers: 4, reconcile };
}
