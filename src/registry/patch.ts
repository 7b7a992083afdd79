/** PATCH of the main resource or its status: the patch applies to the current object inside the update loop. */
import { invalid, unsupportedMediaType } from '../status.ts';
import type { KubeObject } from '../types/meta.ts';
import { isCustomResource } from './custom-resources.ts';
import { checkApplyBody } from './managed-fields/apply-body.ts';
import { fieldManagerRequest } from './managed-fields/field-manager-request.ts';
import { applyConfiguration } from './managed-fields/managed-fields.ts';
import { applyPatch, supportedPatchTypes } from './patch/apply-patch.ts';
import { patchSchemaFor } from './patch/patch-schema.ts';
import type { RegistryState } from './registry-state.ts';
import { writesStatus } from './status-update.ts';
import type { PatchType, RequestContext, ResourceDef, WriteResult } from './types.ts';
import { type UpdatePlan, writeUpdate } from './update.ts';
import { bindNamespace, checkURLName, objectFromBody } from './write-checks.ts';

export async function patchObject(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  type: PatchType,
  patch: unknown,
  context: RequestContext,
  subresource?: string,
  force = false,
): Promise<WriteResult> {
  const scope = writesStatus(subresource) ? 'status' : 'main';
  if (type === 'apply')
    return writeUpdate(
      state,
      def,
      namespace,
      name,
      applyPlan(state, def, namespace, name, patch, context, scope, force, subresource),
      context,
    );
  // Custom resources have no patch strategies to follow (apiserver: strategic merge is for built-ins).
  if (type === 'strategic' && isCustomResource(def)) {
    throw unsupportedMediaType(
      'application/strategic-merge-patch+json',
      supportedPatchTypes.filter((t) => !t.startsWith('application/strategic')),
    );
  }
  const schema = patchSchemaFor(def.group, def.version, def.kind);
  return writeUpdate(
    state,
    def,
    namespace,
    name,
    {
      scope,
      ...(scope === 'status' ? { subresource } : {}),
      // The engines never change their target, and objectFromBody copies what they return.
      readsCurrentOnly: true,
      next: ({ object }) => {
        const patched = objectFromBody(def, applyPatch(type, object, patch, schema), context);
        dropCurrentResourceVersion(patched, object.metadata.resourceVersion);
        checkURLName(patched, name);
        bindNamespace(def, namespace, patched);
        return patched;
      },
    },
    context,
  );
}

/**
 * Server-side apply: the configuration merged into the current object with field ownership, or a
 * create when the object is missing (201). fieldManager is required (the API layer checks it).
 */
function applyPlan(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  patch: unknown,
  context: RequestContext,
  scope: 'main' | 'status',
  force: boolean,
  subresource?: string,
): UpdatePlan {
  checkApplyBody(def, patch);
  const config = objectFromBody(def, patch, context);
  checkURLName(config, name);
  bindNamespace(def, namespace, config);
  const manager = fieldManagerRequest(def, context, state.clock(), scope === 'status' ? subresource : undefined);
  if (!manager) {
    throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [
      { type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' },
    ]);
  }
  const plan: UpdatePlan = {
    scope,
    ...(scope === 'status' ? { subresource } : {}),
    hasManagedFields: true,
    next: ({ object }) => {
      const applied = applyConfiguration(object, config, manager, force);
      dropCurrentResourceVersion(applied, object.metadata.resourceVersion);
      return applied;
    },
  };
  if (scope === 'main') plan.createIfMissing = () => applyConfiguration(undefined, config, manager, force);
  return plan;
}

/**
 * The patched object carries the current resourceVersion unless the patch named another; only a
 * named one is a precondition, so a write racing this patch makes it retry instead of 409.
 */
export function dropCurrentResourceVersion(patched: KubeObject, current: string | undefined): void {
  if (patched.metadata.resourceVersion !== current) return;
  // Cleared, not deleted: a delete inside metadata leaves V8 a slow dictionary object for every step
  // after it (validation, comparisons, encoding, copies); the update restores the stored one anyway.
  patched.metadata.resourceVersion = undefined;
}
