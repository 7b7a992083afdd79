/** PATCH of the main resource or its status: the patch applies to the current object inside the update loop. */
import { unsupportedMediaType } from '../status.ts';
import { isCustomResource } from './custom-resources.ts';
import { applyPatch, supportedPatchTypes } from './patch/apply-patch.ts';
import { patchSchemaFor } from './patch/patch-schema.ts';
import type { RegistryState } from './registry-state.ts';
import type { PatchType, RequestContext, ResourceDef, WriteResult } from './types.ts';
import { writeUpdate } from './update.ts';
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
): Promise<WriteResult> {
  if (type === 'apply') throw unsupportedMediaType('application/apply-patch+yaml', supportedPatchTypes);
  // Custom resources have no patch strategies to follow (apiserver: strategic merge is for built-ins).
  if (type === 'strategic' && isCustomResource(def)) {
    throw unsupportedMediaType(
      'application/strategic-merge-patch+json',
      supportedPatchTypes.filter((t) => !t.startsWith('application/strategic')),
    );
  }
  return writeUpdate(
    state,
    def,
    namespace,
    name,
    {
      scope: subresource === 'status' ? 'status' : 'main',
      next: ({ object }) => {
        const patched = objectFromBody(
          def,
          applyPatch(type, object, patch, patchSchemaFor(def.group, def.version, def.kind)),
        );
        checkURLName(patched, name);
        bindNamespace(def, namespace, patched);
        return patched;
      },
    },
    context,
  );
}
