/**
 * The node lifecycle controller (kube-controller-manager nodelifecycle, health monitoring part):
 * a node whose Lease in kube-node-lease and Ready heartbeat have not moved for the grace period
 * (40 s, --node-monitor-grace-period) gets every kubelet condition Unknown (NodeStatusUnknown,
 * `Kubelet stopped posting node status.`) and its pods marked not Ready; the node's Ready status is
 * mirrored into the node.kubernetes.io/unreachable or not-ready NoSchedule and NoExecute taints,
 * removed again on recovery. Silence is measured on this controller's clock from the last time it saw
 * a heartbeat change, as Kubernetes does, so clock skew between nodes and controller does not matter.
 */
import { leases, nodes as nodesRef, pods as podsRef } from '../../client/resources.ts';
import type { KubeClient, ResourceRef } from '../../client/types.ts';
import type { Lease, Node, Pod } from '../../nodes/api-types.ts';
import { isStatusError } from '../../status.ts';
import { byNodeName, keyOf } from '../runtime/cache.ts';
import { type Clock, realClock, toTime } from '../runtime/clock.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import { conditionTaints, type Taint, unknownConditions, withConditionTaints } from './node-health.ts';

export interface NodeLifecycleOptions {
  /** How long a node may be silent before it is Unknown; default 40 s. */
  gracePeriodMs?: number;
  /** How often each node is checked; default 5 s (--node-monitor-period). */
  monitorPeriodMs?: number;
}

export const nodeLeaseNamespace = 'kube-node-lease';

interface Observed {
  renewTime: string | undefined;
  heartbeat: string | undefined;
  /** When this controller last saw either move. */
  probedAt: number;
}

export function nodeLifecycleController(
  d: { client: KubeClient; informers: Informers; clock?: Clock },
  o: NodeLifecycleOptions = {},
): Controller & { reconcile(name: string): Promise<void> } {
  const clock = d.clock ?? realClock;
  const gracePeriodMs = o.gracePeriodMs ?? 40_000;
  const monitorPeriodMs = o.monitorPeriodMs ?? 5_000;
  const queue = createWorkQueue({ clock });
  const nodeRef = nodesRef as ResourceRef<Node>;
  const podRef = podsRef as ResourceRef<Pod>;
  const nodeInformer = d.informers.informerFor(nodeRef);
  const leaseInformer = d.informers.informerFor(leases as ResourceRef<Lease>, { namespace: nodeLeaseNamespace });
  const podInformer = d.informers.informerFor(podRef);
  podInformer.addIndex('nodeName', byNodeName);
  const enqueue = (n: Readonly<Node | Lease>) => queue.add(n.metadata.name ?? '');
  nodeInformer.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  leaseInformer.addHandlers({ onAdd: enqueue, onUpdate: (_o, l) => enqueue(l) });
  const observed = new Map<string, Observed>();
  const nodeApi = d.client.resource(nodeRef);
  const podApi = d.client.resource(podRef);

  async function markPodsNotReady(nodeName: string, now: string) {
    for (const pod of podInformer.byIndex('nodeName', nodeName)) {
      const conditions = pod.status?.conditions ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const next = conditions.map((c) =>
        c.type === 'Ready' ? { ...c, status: 'False' as const, lastTransitionTime: now } : c,
      );
      await podApi
        .updateStatus({ ...structuredClone(pod), status: { ...pod.status, conditions: next } })
        .catch((err: unknown) => {
          if (!(isStatusError(err) && err.code === 404)) throw err;
        });
    }
  }

  async function reconcile(name: string): Promise<void> {
    const cached = nodeInformer.getByName(undefined, name);
    if (!cached) {
      observed.delete(name);
      return;
    }
    const now = clock.now();
    const lease = leaseInformer.getByName(nodeLeaseNamespace, name);
    const ready = cached.status?.conditions?.find((c) => c.type === 'Ready');
    const seen = observed.get(name);
    const renewTime = lease?.spec.renewTime;
    const heartbeat = ready?.lastHeartbeatTime;
    if (!seen || seen.renewTime !== renewTime || seen.heartbeat !== heartbeat) {
      observed.set(name, { renewTime, heartbeat, probedAt: now });
    }
    const probedAt = observed.get(name)?.probedAt ?? now;
    let node: Readonly<Node> = cached;
    if (now - probedAt > gracePeriodMs && ready?.status !== 'Unknown') {
      const conditions = unknownConditions(cached.status?.conditions ?? [], toTime(now));
      node = await nodeApi.updateStatus({ ...structuredClone(cached), status: { ...cached.status, conditions } });
      await markPodsNotReady(name, toTime(now));
    }
    const status = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    const taints = withConditionTaints((node.spec?.taints ?? []) as Taint[], conditionTaints(status, toTime(now)));
    if (taints) {
      const next = structuredClone(node) as Node;
      next.spec = { ...next.spec, taints };
      if (taints.length === 0) delete next.spec.taints;
      await nodeApi.update(next);
    }
    queue.addAfter(keyOf(node), monitorPeriodMs);
  }
  return { name: 'node-lifecycle', queue, workers: 2, reconcile };
}
