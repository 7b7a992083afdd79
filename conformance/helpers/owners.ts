/** Owner-reference checks the controller and garbage-collector tests share. */
import type { KubeObject } from '../../src/types/meta.ts';

interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export const ownerRefsOf = (o: KubeObject) =>
  ((o.metadata as { ownerReferences?: OwnerRef[] }).ownerReferences ?? []) as OwnerRef[];

/** True when `o` names `owner` (by uid) as its controller. */
export const controlledBy = (o: KubeObject, owner: KubeObject) =>
  ownerRefsOf(o).some((r) => r.controller === true && r.uid === owner.metadata.uid);

/** An ownerReference pointing at `owner`, for tests that set owners by hand. */
export function ownerRefTo(owner: KubeObject, o: { controller?: boolean; blockOwnerDeletion?: boolean } = {}) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    ...o,
  };
}
