/**
 * Create: the generic steps every kind goes through (apiserver registry/rest/create.go BeforeCreate and
 * store.go Create), with the strategy's hooks in between.
 */

import { validateObjectMeta } from '../openapi/validation/semantic/object-meta.ts';
import { isStorageError } from '../storage/types.ts';
import type { KubeObject } from '../types/meta.ts';
import { admitResourceQuota } from './admission/resource-quota.ts';
import { encodeObject } from './codec.ts';
import { groupResourceOf, storageKey } from './keys.ts';
import { hooksFor } from './kind-hooks.ts';
import { fieldManagerRequest } from './managed-fields/field-manager-request.ts';
import { recordUpdate } from './managed-fields/managed-fields.ts';
import { generateName, maxNameGenerationAttempts, validateName } from './names.ts';
import { type RegistryState, timestamp, toStorageVersion } from './registry-state.ts';
import { interpretStorageError } from './storage-errors.ts';
import { resultOfWrite } from './stored-view.ts';
import type { RequestContext, ResourceDef, WriteResult } from './types.ts';
import { addWarnings } from './warnings/warnings.ts';
import {
  bindNamespace,
  hasStatusSubresource,
  objectFromBody,
  requireActiveNamespace,
  resetSystemFieldsForCreate,
  throwIfInvalid,
} from './write-checks.ts';

export async function createObject(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  body: unknown,
  context: RequestContext,
  options: { keepsManagedFields?: boolean } = {},
): Promise<WriteResult> {
  const object = objectFromBody(def, body, context);
  bindNamespace(def, namespace, object);
  await requireActiveNamespace(state, def, object.metadata.namespace ?? '', object.metadata.name ?? '');
  // Server-side apply computed its own entries; any other create starts the object's history here.
  const applied = options.keepsManagedFields ? object.metadata.managedFields : undefined;
  resetSystemFieldsForCreate(object);
  if (hasStatusSubresource(def) && !def.strategy.keepsStatusOnCreate) delete object.status;
  def.strategy.defaults?.(object);
  await hooksFor(def).admitCreate?.(state, object);
  if (def.strategy.tracksGeneration) object.metadata.generation = 1;
  if (applied) object.metadata.managedFields = applied;
  else {
    const manager = fieldManagerRequest(def, context, state.clock());
    if (manager) recordUpdate(undefined, object, manager);
  }
  return persistNew(state, def, object, context);
}

/** Names, validates, allocates and writes a prepared object; shared with create-on-update. */
export async function persistNew(
  state: RegistryState,
  def: ResourceDef,
  object: KubeObject,
  context: RequestContext,
): Promise<WriteResult> {
  const prefix = object.metadata.generateName;
  const isGenerated = !object.metadata.name && !!prefix;
  const hooks = hooksFor(def);
  for (let attempt = 1; ; attempt++) {
    if (isGenerated) object.metadata.name = generateName(prefix as string, state.random);
    const name = object.metadata.name ?? '';
    object.metadata.uid = state.newUID();
    object.metadata.creationTimestamp = timestamp(state.clock());
    // After name and uid exist: a Job's generated selector is made of its uid and name.
    def.strategy.prepareForCreate?.(object, context);
    throwIfInvalid(def, name, [
      ...validateName(object.metadata.name, def.strategy.nameValidation),
      ...validateObjectMeta(object.metadata),
      ...(def.strategy.validate?.(object) ?? []),
    ]);
    addWarnings(def, object, undefined, context);
    await admitResourceQuota(state, def, object, !!context.dryRun);
    hooks.allocate?.(state, object);
    if (context.dryRun) {
      hooks.release?.(state, object);
      return { object, created: true };
    }
    try {
      const kv = await state.store.create(
        storageKey(def, object.metadata.namespace, name),
        encodeObject(toStorageVersion(def, object)),
      );
      // The object just encoded is ours alone: the result and the cached view are made from it, not re-parsed.
      return { object: resultOfWrite(state, def, kv, object), created: true };
    } catch (err) {
      hooks.release?.(state, object);
      // A generated name that collides is retried with a new suffix instead of surfacing 409.
      if (isGenerated && isStorageError(err, 'AlreadyExists') && attempt < maxNameGenerationAttempts) continue;
      throw interpretStorageError(err, groupResourceOf(def), name);
    }
  }
}
