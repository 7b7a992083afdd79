/**
 * The ownership graph the garbage collector keeps (kube-controller-manager's GraphBuilder, reduced to
 * what reconcile needs): every watched object by uid, and for every uid the objects whose
 * ownerReferences name it. Dependents are filed under the owner's uid even before (or after) the
 * owner itself is known, which is exactly how a dependent of a missing owner is found.
 */
import type { ServedResource } from '../../client/types.ts';
import type { KubeObject, OwnerReference } from '../../types/meta.ts';

export interface GraphNode {
  uid: string;
  resource: ServedResource;
  namespace: string | undefined;
  name: string;
  ownerReferences: readonly OwnerReference[];
  finalizers: readonly string[];
  isBeingDeleted: boolean;
}

export interface OwnershipGraph {
  /** Records the object's current state; returns the node it replaced. */
  upsert(resource: ServedResource, object: Readonly<KubeObject>): GraphNode | undefined;
  /** Forgets the object; its dependents stay filed under its uid until they change. */
  remove(object: Readonly<KubeObject>): GraphNode | undefined;
  get(uid: string): GraphNode | undefined;
  /** Objects whose ownerReferences name `uid`. */
  dependentsOf(uid: string): GraphNode[];
  size(): number;
}

export function nodeOf(resource: ServedResource, object: Readonly<KubeObject>): GraphNode {
  const m = object.metadata;
  return {
    uid: m.uid ?? '',
    resource,
    namespace: m.namespace || undefined,
    name: m.name ?? '',
    ownerReferences: m.ownerReferences ?? [],
    finalizers: m.finalizers ?? [],
    isBeingDeleted: Boolean(m.deletionTimestamp),
  };
}

export function createOwnershipGraph(): OwnershipGraph {
  const nodes = new Map<string, GraphNode>();
  const dependents = new Map<string, Set<string>>();

  function unlink(node: GraphNode) {
    for (const ref of node.ownerReferences) {
      const set = dependents.get(ref.uid);
      set?.delete(node.uid);
      if (set?.size === 0) dependents.delete(ref.uid);
    }
  }
  return {
    upsert(resource, object) {
      const node = nodeOf(resource, object);
      if (!node.uid) return undefined;
      const old = nodes.get(node.uid);
      if (old) unlink(old);
      nodes.set(node.uid, node);
      for (const ref of node.ownerReferences) {
        const set = dependents.get(ref.uid);
        if (set) set.add(node.uid);
        else dependents.set(ref.uid, new Set([node.uid]));
      }
      return old;
    },
    remove(object) {
      const uid = object.metadata.uid ?? '';
      const old = nodes.get(uid);
      if (!old) return undefined;
      unlink(old);
      nodes.delete(uid);
      return old;
    },
    get: (uid) => nodes.get(uid),
    dependentsOf(uid) {
      return [...(dependents.get(uid) ?? [])].flatMap((d) => {
        const node = nodes.get(d);
        return node ? [node] : [];
      });
    },
    size: () => nodes.size,
  };
}
