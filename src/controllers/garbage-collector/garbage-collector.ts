/**
 * The garbage collector (kube-controller-manager's garbagecollector): watches every served resource
 * that can be listed, watched and deleted, keeps the ownerReferences graph, and
 * - deletes a dependent once none of its owners is left (a uid mismatch counts as gone), with the
 *   propagation its own finalizers ask for;
 * - for an owner deleted in the foreground (finalizer `foregroundDeletion`) deletes its dependents
 *   first and gives up the finalizer once no dependent with blockOwnerDeletion is left;
 * - for an owner deleted with `orphan`, strips its ownerReferences from the dependents, then gives up
 *   the finalizer.
 * Keys are object uids. Resources served later (CRDs) are picked up by re-running discovery when a
 * CustomResourceDefinition changes or an ownerReference names a kind not yet known.
 */
import { customResourceDefinitions } from '../../client/resources.ts';
import type { KubeClient, ServedResource } from '../../client/types.ts';
import { isStatusError } from '../../status.ts';
import type { KubeObject, OwnerReference } from '../../types/meta.ts';
import { type Clock, realClock } from '../runtime/clock.ts';
import type { Informer } from '../runtime/informer.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import { decideForDependent, foregroundFinalizer, isBlocking, type OwnerState, orphanFinalizer } from './decide.ts';
import { createOwnershipGraph, type GraphNode, type OwnershipGraph } from './graph.ts';
import { createResourceMap, type ResourceMap } from './resource-map.ts';

export interface GarbageCollectorDeps {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
}

export interface GarbageCollector extends Controller {
  reconcile(uid: string): Promise<void>;
  graph: OwnershipGraph;
  /** Resolves once discovery has run and the informers of every discovered resource have synced. */
  hasStarted(): Promise<void>;
}

const isNotFound = (err: unknown) => isStatusError(err) && err.code === 404;
const isGone = (err: unknown) => isStatusError(err) && (err.code === 404 || err.code === 409);

/** The state of an owner as read from its object (cached or live). */
function stateOfOwner(object: { isBeingDeleted: boolean; finalizers: readonly string[] }): OwnerState {
  return object.isBeingDeleted && object.finalizers.includes(foregroundFinalizer) ? 'waiting' : 'solid';
}

export function garbageCollector(d: GarbageCollectorDeps): GarbageCollector {
  const clock = d.clock ?? realClock;
  const queue = createWorkQueue({ clock });
  const graph = createOwnershipGraph();
  const watched = new Map<string, Informer<KubeObject>>();
  let resourceMap: ResourceMap = createResourceMap([]);
  let discovery: Promise<void> | undefined;
  let discoverAgain = false;

  function watch(resource: ServedResource) {
    const id = `${resource.group}/${resource.plural}`;
    if (watched.has(id)) return;
    const informer = d.informers.informerFor<KubeObject>(resource);
    watched.set(id, informer);
    informer.addHandlers({
      onAdd: (o) => observe(resource, o),
      onUpdate: (_old, o) => observe(resource, o),
      onDelete: (o) => forget(o),
    });
  }

  function observe(resource: ServedResource, object: Readonly<KubeObject>) {
    const previous = graph.upsert(resource, object);
    const node = graph.get(object.metadata.uid ?? '');
    if (!node) return;
    const ownersChanged = !previous || !sameOwners(previous.ownerReferences, node.ownerReferences);
    const deletionChanged =
      !previous ||
      previous.isBeingDeleted !== node.isBeingDeleted ||
      previous.finalizers.join(',') !== node.finalizers.join(',');
    if ((ownersChanged && node.ownerReferences.length) || (deletionChanged && node.isBeingDeleted)) {
      queue.add(node.uid);
    }
    if (deletionChanged && node.isBeingDeleted) for (const dep of graph.dependentsOf(node.uid)) queue.add(dep.uid);
    // An owner waiting in the foreground may be free once a dependent drops its reference.
    if (previous && ownersChanged) {
      for (const ref of previous.ownerReferences) {
        if (!node.ownerReferences.some((r) => r.uid === ref.uid)) queue.add(ref.uid);
      }
    }
    if (deletionChanged && !previous?.isBeingDeleted && node.isBeingDeleted) {
      for (const ref of node.ownerReferences) queue.add(ref.uid);
    }
  }

  function forget(object: Readonly<KubeObject>) {
    const old = graph.remove(object);
    const uid = object.metadata.uid ?? '';
    for (const dep of graph.dependentsOf(uid)) queue.add(dep.uid);
    for (const ref of old?.ownerReferences ?? []) queue.add(ref.uid);
  }

  async function discover(): Promise<void> {
    if (discovery) {
      discoverAgain = true;
      return discovery;
    }
    discovery = (async () => {
      do {
        discoverAgain = false;
        const { resources } = await d.client.serverResources();
        resourceMap = createResourceMap(resources);
        for (const r of resourceMap.watchable) watch(r);
      } while (discoverAgain);
    })().finally(() => {
      discovery = undefined;
    });
    return discovery;
  }

  // A new CRD becomes a served resource once Established: rediscover on every change to one.
  d.informers.informerFor(customResourceDefinitions).addHandlers({
    onAdd: () => void discover().catch(() => undefined),
    onUpdate: () => void discover().catch(() => undefined),
    onDelete: () => void discover().catch(() => undefined),
  });
  let started = discover();
  const hasStarted = async () => {
    // A failed first discovery is retried by the next reconcile rather than failing them all.
    await started.catch(() => {
      started = discover();
      return started;
    });
    await Promise.all([...watched.values()].map((i) => i.waitForSync()));
  };

  const api = (node: GraphNode) => d.client.resource(node.resource);

  /** Re-reads the object and writes `change` to it, unless it is gone or `change` leaves it as is. */
  async function rewrite(node: GraphNode, change: (object: KubeObject) => boolean): Promise<void> {
    let object: KubeObject;
    try {
      object = await api(node).get(node.name, node.namespace);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (object.metadata.uid !== node.uid || !change(object)) return;
    try {
      await api(node).update(object);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const removeFinalizer = (node: GraphNode, finalizer: string) =>
    rewrite(node, (object) => {
      const finalizers = object.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return false;
      object.metadata.finalizers = finalizers.filter((f) => f !== finalizer);
      return true;
    });

  const removeOwnerReferences = (node: GraphNode, uids: readonly string[]) =>
    rewrite(node, (object) => {
      const refs = object.metadata.ownerReferences ?? [];
      const kept = refs.filter((r) => !uids.includes(r.uid));
      if (kept.length === refs.length) return false;
      if (kept.length) object.metadata.ownerReferences = kept;
      else delete object.metadata.ownerReferences;
      return true;
    });

  async function ownerState(dependent: GraphNode, ref: OwnerReference): Promise<OwnerState> {
    const known = graph.get(ref.uid);
    if (known) return stateOfOwner(known);
    let resource = resourceMap.forReference(ref.apiVersion, ref.kind);
    if (!resource) {
      await discover();
      resource = resourceMap.forReference(ref.apiVersion, ref.kind);
    }
    if (!resource) throw new Error(`unable to find the resource of owner kind ${ref.kind} in ${ref.apiVersion}`);
    try {
      const owner = await d.client
        .resource(resource)
        .get(ref.name, resource.namespaced ? dependent.namespace : undefined);
      if (owner.metadata.uid !== ref.uid) return 'dangling';
      return stateOfOwner({
        isBeingDeleted: Boolean(owner.metadata.deletionTimestamp),
        finalizers: owner.metadata.finalizers ?? [],
      });
    } catch (err) {
      if (isNotFound(err)) return 'dangling';
      throw err;
    }
  }

  async function processForeground(owner: GraphNode) {
    const dependents = graph.dependentsOf(owner.uid);
    if (!dependents.some((dep) => isBlocking(owner.uid, dep))) return removeFinalizer(owner, foregroundFinalizer);
    for (const dep of dependents) queue.add(dep.uid);
  }

  async function processOrphan(owner: GraphNode) {
    for (const dep of graph.dependentsOf(owner.uid)) await removeOwnerReferences(dep, [owner.uid]);
    await removeFinalizer(owner, orphanFinalizer);
  }

  async function reconcile(uid: string): Promise<void> {
    await hasStarted();
    const node = graph.get(uid);
    if (!node) return;
    if (node.isBeingDeleted) {
      if (node.finalizers.includes(orphanFinalizer)) return processOrphan(node);
      if (node.finalizers.includes(foregroundFinalizer)) return processForeground(node);
      return;
    }
    if (!node.ownerReferences.length) return;
    const states = new Map<string, OwnerState>();
    for (const ref of node.ownerReferences) states.set(ref.uid, await ownerState(node, ref));
    const action = decideForDependent(
      node,
      (ref) => states.get(ref.uid) ?? 'solid',
      graph.dependentsOf(uid).length > 0,
    );
    switch (action.type) {
      case 'none':
        return;
      case 'removeOwnerReferences':
        return removeOwnerReferences(node, action.uids);
      case 'delete':
        try {
          await api(node).delete(node.name, node.namespace, {
            propagationPolicy: action.propagationPolicy,
            preconditions: { uid: node.uid },
          });
        } catch (err) {
          if (!isGone(err)) throw err;
        }
        return;
      default:
        return assertNever(action);
    }
  }

  return { name: 'garbage-collector', queue, workers: 10, reconcile, graph, hasStarted };
}

function sameOwners(a: readonly OwnerReference[], b: readonly OwnerReference[]): boolean {
  return (
    a.length === b.length && a.every((r, i) => r.uid === b[i]?.uid && r.blockOwnerDeletion === b[i]?.blockOwnerDeletion)
  );
}

function assertNever(value: never): never {
  throw new Error(`unexpected action ${JSON.stringify(value)}`);
}
