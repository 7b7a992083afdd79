/** Get of one object, and its encoded fast path. */

import { notFound } from '../status.ts';
import type { KubeObject } from '../types/meta.ts';
import { spliceResourceVersion, typePrefix } from './codec.ts';
import { groupResourceOf, storageKey } from './keys.ts';
import { type RegistryState, viewOf } from './registry-state.ts';
import { waitForRevision } from './resource-version.ts';
import { interpretStorageError } from './storage-errors.ts';
import { type GetOptions, groupVersion, type ResourceDef } from './types.ts';

/** The object (frozen: callers must not mutate it). */
export async function getObject(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  options: GetOptions,
): Promise<Readonly<KubeObject>> {
  await waitForRevision(state, options.resourceVersion);
  const { kv } = await state.store.get(storageKey(def, namespace, name)).catch((e: unknown) => {
    throw interpretStorageError(e, groupResourceOf(def), name);
  });
  if (!kv) throw notFound(groupResourceOf(def), name);
  return viewOf(state, def, kv);
}

export async function getEncoded(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  options: GetOptions,
): Promise<Uint8Array | undefined> {
  if (def.storage?.fromStorage || options.subresource) return undefined;
  await waitForRevision(state, options.resourceVersion);
  const { kv } = await state.store.get(storageKey(def, namespace, name));
  if (!kv) throw notFound(groupResourceOf(def), name);
  return spliceResourceVersion(kv, typePrefix(def.kind, groupVersion(def)), false);
}
