/** Dispatches a PATCH body to its algorithm by patch type. */
import { unsupportedMediaType } from '../../status.ts';
import type { PatchType } from '../types.ts';
import { applyJSONPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';
import { type PatchSchema, unknownSchema } from './patch-schema.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

export const supportedPatchTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

/** JSON, merge and strategic merge patches; server-side apply goes through managed-fields/ instead. */
export function applyPatch(
  type: PatchType,
  target: unknown,
  patch: unknown,
  schema: PatchSchema = unknownSchema,
): unknown {
  switch (type) {
    case 'json':
      return applyJSONPatch(target, patch);
    case 'merge':
      return applyMergePatch(target, patch);
    case 'strategic':
      return applyStrategicMergePatch(target, patch, schema);
    case 'apply':
      throw unsupportedMediaType('application/apply-patch+yaml', supportedPatchTypes);
  }
}
