/**
 * Controller references: which object controls which (metadata.ownerReferences with controller=true),
 * informer indexes to find an owner's objects and a namespace's orphans, and claiming — adopting
 * orphans that match the owner's selector and releasing owned objects that no longer match
 * (kubernetes pkg/controller ControllerRefManager).
 */
import type { ResourceClient } from '../../client/types.ts';
import type { LabelSelector } from '../../selectors/index.ts';
import { isStatusError } from '../../status.ts';
import type { KubeObject, OwnerReference } from '../../types/meta.ts';
import type { IndexFunc } from '../runtime/cache.ts';

export function controllerOf(object: Readonly<KubeObject>): Readonly<OwnerReference> | undefined {
  return object.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The reference a controller puts on what it creates (controller and blockOwnerDeletion set). */
export function controllerRefFor(owner: Readonly<KubeObject>): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Index name and function: objects by the UID of their controller. Shared by every workload controller. */
export const byControllerUID = 'wharf/controllerUID';
export const controllerUIDIndex: IndexFunc<KubeObject> = (o) => {
  const ref = controllerOf(o);
  return ref ? [ref.uid] : [];
};

/** Index name and function: objects without a controller, by namespace (candidates for adoption). */
export const orphansByNamespace = 'wharf/orphansByNamespace';
export const orphanIndex: IndexFunc<KubeObject> = (o) =>
  controllerOf(o) || !o.metadata.namespace ? [] : [o.metadata.namespace];

export interface ClaimOptions<T extends KubeObject> {
  owner: Readonly<KubeObject>;
  selector: LabelSelector;
  /** Objects controlled by the owner (by UID) and the namespace's orphans. */
  owned: readonly Readonly<T>[];
  orphans: readonly Readonly<T>[];
  api: ResourceClient<T>;
  /**
   * Re-reads the owner from the API: adoption must not happen for an owner that was deleted or
   * replaced (same name, new UID) since the cache saw it (ControllerRefManager.CanAdopt).
   */
  canAdopt(): Promise<boolean>;
}

/** The objects the owner controls after adopting and releasing. */
export async function claim<T extends KubeObject>(o: ClaimOptions<T>): Promise<Readonly<T>[]> {
  const claimed: Readonly<T>[] = [];
  const ownerUID = o.owner.metadata.uid;
  const ownerDeleting = Boolean(o.owner.metadata.deletionTimestamp);
  for (const object of o.owned) {
    if (o.selector.matches(object.metadata.labels)) claimed.push(object);
    else if (!ownerDeleting) await ignoreGone(() => release(o.api, object, ownerUID ?? ''));
  }
  let adoptable: boolean | undefined;
  for (const object of o.orphans) {
    if (ownerDeleting || object.metadata.deletionTimestamp || !o.selector.matches(object.metadata.labels)) continue;
    adoptable ??= await o.canAdopt();
    if (!adoptable) break;
    const adopted = await ignoreGone(() => adopt(o.api, object, o.owner));
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

/** Patches with the object's uid and resourceVersion, so a replaced or changed object is not touched. */
function adopt<T extends KubeObject>(api: ResourceClient<T>, object: Readonly<T>, owner: Readonly<KubeObject>) {
  const { name, namespace, uid, resourceVersion } = object.metadata;
  const ownerReferences = [...(object.metadata.ownerReferences ?? []), controllerRefFor(owner)];
  return api.patch(name ?? '', namespace, 'merge', { metadata: { uid, resourceVersion, ownerReferences } });
}

function release<T extends KubeObject>(api: ResourceClient<T>, object: Readonly<T>, ownerUID: string) {
  const { name, namespace, uid, resourceVersion } = object.metadata;
  const ownerReferences = (object.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUID);
  return api.patch(name ?? '', namespace, 'merge', { metadata: { uid, resourceVersion, ownerReferences } });
}

/** A claim that raced with a delete or another writer is retried on the next reconcile, not failed. */
async function ignoreGone<R>(write: () => Promise<R>): Promise<R | undefined> {
  try {
    return await write();
  } catch (err) {
    if (isStatusError(err) && (err.code === 404 || err.code === 409)) return undefined;
    throw err;
  }
}
