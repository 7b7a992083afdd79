/**
 * Delete: preconditions, finalizers, propagation policy and graceful deletion (apiserver
 * registry/generic/registry/store.go Delete and rest/delete.go BeforeDelete).
 */

import { copyValue } from '../copy-value.ts';
import { badRequest, conflict } from '../status.ts';
import { isStorageError } from '../storage/types.ts';
import type { DeleteOptions, KubeObject } from '../types/meta.ts';
import { encodeObject } from './codec.ts';
import { groupResourceOf, storageKey } from './keys.ts';
import { hooksFor } from './kind-hooks.ts';
import { type Current, type RegistryState, readCurrent, timestamp, toStorageVersion } from './registry-state.ts';
import { interpretStorageError } from './storage-errors.ts';
import { resultOfWrite } from './stored-view.ts';
import { deepEqual } from './strategies/shared.ts';
import type { DeleteResult, RequestContext, ResourceDef } from './types.ts';

export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

const maxAttempts = 8;

export async function deleteObject(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions,
  context: RequestContext,
): Promise<DeleteResult> {
  const gr = groupResourceOf(def);
  if (options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds < 0) options.gracePeriodSeconds = 1;
  if (options.propagationPolicy && !['Background', 'Foreground', 'Orphan'].includes(options.propagationPolicy)) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${options.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  for (let attempt = 1; ; attempt++) {
    const current = await readCurrent(state, def, namespace, name);
    checkPreconditions(def, name, current.object, options);
    try {
      return await deleteCurrent(state, def, current, options, context);
    } catch (err) {
      if (isStorageError(err, 'Conflict') && attempt < maxAttempts) continue;
      throw interpretStorageError(err, gr, name);
    }
  }
}

function checkPreconditions(def: ResourceDef, name: string, object: KubeObject, options: DeleteOptions): void {
  const p = options.preconditions;
  const gr = groupResourceOf(def);
  if (p?.uid && p.uid !== object.metadata.uid) {
    throw conflict(
      gr,
      name,
      `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${object.metadata.uid ?? ''}`,
    );
  }
  if (p?.resourceVersion && p.resourceVersion !== object.metadata.resourceVersion) {
    throw conflict(
      gr,
      name,
      `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${object.metadata.resourceVersion ?? ''}`,
    );
  }
}

/** The finalizer the propagation policy asks for (orphanDependents is the legacy spelling). */
function policyFinalizer(options: DeleteOptions): string | undefined {
  if (options.propagationPolicy === 'Foreground') return foregroundFinalizer;
  if (
    options.propagationPolicy === 'Orphan' ||
    (options.propagationPolicy === undefined && options.orphanDependents === true)
  )
    return orphanFinalizer;
  return undefined;
}

async function deleteCurrent(
  state: RegistryState,
  def: ResourceDef,
  current: Current,
  options: DeleteOptions,
  context: RequestContext,
): Promise<DeleteResult> {
  const object = current.object;
  const m = object.metadata;
  const hooks = hooksFor(def);
  const grace = def.strategy.gracePeriodSeconds?.(object, options.gracePeriodSeconds);
  const finalizer = policyFinalizer(options);
  const finalizers = [...(m.finalizers ?? [])];
  if (finalizer && !finalizers.includes(finalizer)) finalizers.push(finalizer);
  const isBlocked = finalizers.length > 0 || (hooks.isDeletionBlocked?.(object) ?? false);
  const isGraceful = grace !== undefined && grace > 0;
  const key = storageKey(def, m.namespace, m.name ?? '');

  if (!isBlocked && !isGraceful) {
    if (context.dryRun) return { object, pending: false };
    const kv = await state.store.delete(key, current.kv.modRevision);
    hooks.release?.(state, object);
    return { object: resultOfWrite(state, def, kv, object), pending: false };
  }

  const now = state.clock();
  const next = copyValue(object);
  const nm = next.metadata;
  if (finalizers.length) nm.finalizers = finalizers;
  if (!nm.deletionTimestamp) {
    nm.deletionTimestamp = timestamp(now + (grace ?? 0) * 1000);
    nm.deletionGracePeriodSeconds = grace ?? 0;
    // A deletion that starts counts as a change of intent: generation moves (store.go BeforeDelete).
    if (nm.generation !== undefined && nm.generation > 0) nm.generation += 1;
    hooks.startDeletion?.(next);
  } else if (grace !== undefined && grace < (nm.deletionGracePeriodSeconds ?? 0)) {
    // A pending graceful deletion may only be shortened.
    nm.deletionTimestamp = timestamp(now + grace * 1000);
    nm.deletionGracePeriodSeconds = grace;
  }
  if (nm.deletionTimestamp && !isBlocked && nm.deletionGracePeriodSeconds === 0) {
    // Grace shortened to 0 with nothing else holding the object: gone now.
    if (context.dryRun) return { object: next, pending: false };
    const kv = await state.store.delete(key, current.kv.modRevision);
    hooks.release?.(state, object);
    return { object: resultOfWrite(state, def, kv, object), pending: false };
  }
  if (context.dryRun || deepEqual(next, object)) return { object: next, pending: true };
  const kv = await state.store.update(key, encodeObject(toStorageVersion(def, next)), current.kv.modRevision);
  return { object: resultOfWrite(state, def, kv, next), pending: true };
}
