/**
 * Update, and the read-modify-write loop every writer of an existing object uses (PUT, PATCH, /status,
 * /scale, /finalize, binding): read, compute the next object, apply the generic update rules, write
 * with a compare-and-swap on modRevision, retry when someone else wrote in between — unless the client
 * named a resourceVersion, which is then a precondition (409).
 */

import { copyValue } from '../copy-value.ts';
import { validateObjectMeta } from '../openapi/validation/semantic/object-meta.ts';
import { conflict, type FieldError, isStatusError } from '../status.ts';
import { isStorageError } from '../storage/types.ts';
import type { KubeObject } from '../types/meta.ts';
import { encodeObject } from './codec.ts';
import { createObject } from './create.ts';
import { groupResourceOf, storageKey } from './keys.ts';
import { hooksFor } from './kind-hooks.ts';
import { fieldManagerRequest } from './managed-fields/field-manager-request.ts';
import { recordUpdate } from './managed-fields/managed-fields.ts';
import { type Current, type RegistryState, readCurrent, toStorageVersion } from './registry-state.ts';
import { statusUpdateOf, writesStatus } from './status-update.ts';
import { interpretStorageError } from './storage-errors.ts';
import { resultOfWrite } from './stored-view.ts';
import { deepEqual, specChanged } from './strategies/shared.ts';
import type { RequestContext, ResourceDef, WriteResult } from './types.ts';
import { addWarnings } from './warnings/warnings.ts';
import { bindNamespace, checkURLName, hasStatusSubresource, objectFromBody, throwIfInvalid } from './write-checks.ts';

/** How one writer turns the current object into the next; `which` says what the result may change. */
export interface UpdatePlan {
  /** 'main': everything but status; 'status': only status; 'finalize': only spec.finalizers. */
  scope: 'main' | 'status' | 'finalize';
  /** With scope 'status': the subresource written, 'status' (default) or 'approval'. */
  subresource?: string;
  next(current: Current): KubeObject | Promise<KubeObject>;
  /** Create when missing (PUT on allowCreateOnUpdate kinds); receives the object the plan would write. */
  createIfMissing?: () => unknown;
  /** Server-side apply: `next` already carries the managedFields to store (also on create). */
  hasManagedFields?: boolean;
  /**
   * `next` only reads the current object and keeps no part of it (patches build a new object), so it
   * gets the read copy itself instead of a second one.
   */
  readsCurrentOnly?: boolean;
}

const maxAttempts = 8;

export async function updateObject(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  body: unknown,
  context: RequestContext,
  subresource?: string,
): Promise<WriteResult> {
  const object = objectFromBody(def, body, context);
  checkURLName(object, name);
  bindNamespace(def, namespace, object);
  const scope = writesStatus(subresource) ? 'status' : subresource === 'finalize' ? 'finalize' : 'main';
  const plan: UpdatePlan = { scope, next: () => copyValue(object) };
  if (scope === 'status') plan.subresource = subresource;
  if (def.strategy.allowCreateOnUpdate && scope === 'main') plan.createIfMissing = () => object;
  return writeUpdate(state, def, namespace, name, plan, context);
}

export async function writeUpdate(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  plan: UpdatePlan,
  context: RequestContext,
): Promise<WriteResult> {
  const gr = groupResourceOf(def);
  for (let attempt = 1; ; attempt++) {
    let current: Current;
    try {
      current = await readCurrent(state, def, namespace, name);
    } catch (err) {
      if (plan.createIfMissing && isStatusError(err) && err.code === 404) {
        return createObject(state, def, namespace, plan.createIfMissing(), context, {
          keepsManagedFields: plan.hasManagedFields === true,
        });
      }
      throw err;
    }
    const old = current.object;
    const requested = await plan.next({ kv: current.kv, object: plan.readsCurrentOnly ? old : copyValue(old) });
    const precondition = requested.metadata?.resourceVersion;
    if (precondition && precondition !== old.metadata.resourceVersion) throw conflict(gr, name);
    const next = prepareUpdate(def, requested, old, plan, context);
    if (!plan.hasManagedFields) recordManagedFields(state, def, old, next, plan, context);
    if (deepEqual(next, old)) return { object: old, created: false };
    try {
      return await persistUpdate(state, def, next, current, context);
    } catch (err) {
      if (isStorageError(err, 'Conflict') && !precondition && attempt < maxAttempts) continue;
      throw interpretStorageError(err, gr, name);
    }
  }
}

/** The generic update rules (apiserver rest/update.go BeforeUpdate) plus the strategy's hooks. */
function prepareUpdate(
  def: ResourceDef,
  requested: KubeObject,
  old: KubeObject,
  { scope, subresource }: UpdatePlan,
  context: RequestContext,
): KubeObject {
  let next: KubeObject;
  if (scope === 'status') next = statusUpdateOf(def, requested, old, context, subresource);
  else if (scope === 'finalize') {
    const finalizers = (requested.spec as { finalizers?: unknown } | undefined)?.finalizers;
    next = copyValue(old);
    next.spec = { ...(old.spec as object), finalizers };
  } else {
    next = requested;
    next.apiVersion = old.apiVersion;
    next.kind = old.kind;
    if (hasStatusSubresource(def)) next.status = copyValue(old.status);
    if (next.status === undefined) delete next.status;
    def.strategy.defaults?.(next);
  }
  const m = next.metadata;
  const o = old.metadata;
  // Fields the server owns survive any update; deletionTimestamp cannot be set or cleared here.
  for (const field of [
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'generation',
    'name',
    'namespace',
  ] as const) {
    if (o[field] === undefined) delete m[field];
    else (m as Record<string, unknown>)[field] = o[field];
  }
  m.resourceVersion = o.resourceVersion;
  if (m.managedFields === undefined && o.managedFields !== undefined) m.managedFields = o.managedFields;
  const errors: FieldError[] = [];
  if (o.deletionTimestamp) {
    const added = (m.finalizers ?? []).filter((f) => !(o.finalizers ?? []).includes(f));
    if (added.length) {
      errors.push({
        type: 'FieldValueForbidden',
        field: 'metadata.finalizers',
        detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
      });
    }
  }
  if (scope === 'main') {
    def.strategy.prepareForUpdate?.(next, old, context);
    if (def.strategy.tracksGeneration && specChanged(next, old)) m.generation = (o.generation ?? 0) + 1;
    errors.push(
      ...validateObjectMeta(m),
      ...(def.strategy.validate?.(next, old) ?? []),
      ...(def.strategy.validateUpdate?.(next, old) ?? []),
    );
  } else if (scope === 'status')
    errors.push(...(def.strategy.validateStatusUpdate?.(next, old, subresource ?? 'status') ?? []));
  throwIfInvalid(def, o.name ?? '', errors);
  if (scope === 'main') addWarnings(def, next, old, context);
  return next;
}

/** The Update entry of this write's manager (none for /finalize, which kube does not track either). */
function recordManagedFields(
  state: RegistryState,
  def: ResourceDef,
  old: KubeObject,
  next: KubeObject,
  { scope, subresource }: UpdatePlan,
  context: RequestContext,
): void {
  if (scope === 'finalize') return;
  const manager = fieldManagerRequest(
    def,
    context,
    state.clock(),
    scope === 'status' ? (subresource ?? 'status') : undefined,
  );
  if (manager) recordUpdate(old, next, manager);
}

/** An object being deleted goes away once nothing holds it (store.go ShouldDeleteDuringUpdate). */
function isDeletionComplete(def: ResourceDef, object: KubeObject): boolean {
  const m = object.metadata;
  if (!m.deletionTimestamp || (m.finalizers?.length ?? 0) > 0) return false;
  if (hooksFor(def).isDeletionBlocked?.(object)) return false;
  return (m.deletionGracePeriodSeconds ?? 0) === 0;
}

async function persistUpdate(
  state: RegistryState,
  def: ResourceDef,
  next: KubeObject,
  current: Current,
  context: RequestContext,
): Promise<WriteResult> {
  const hooks = hooksFor(def);
  const key = storageKey(def, next.metadata.namespace, next.metadata.name ?? '');
  if (isDeletionComplete(def, next)) {
    if (context.dryRun) return { object: next, created: false };
    await state.store.delete(key, current.kv.modRevision);
    hooks.release?.(state, current.object);
    return { object: next, created: false };
  }
  hooks.allocate?.(state, next, current.object);
  if (context.dryRun) {
    hooks.release?.(state, next, current.object);
    return { object: next, created: false };
  }
  let kv: Awaited<ReturnType<typeof state.store.update>>;
  try {
    kv = await state.store.update(key, encodeObject(toStorageVersion(def, next)), current.kv.modRevision);
  } catch (err) {
    hooks.release?.(state, next, current.object);
    throw err;
  }
  hooks.release?.(state, current.object, next);
  return { object: resultOfWrite(state, def, kv, next), created: false };
}
