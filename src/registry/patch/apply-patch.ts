/** Dispatches a PATCH body to its algorithm by patch type. */
import { unsupportedMediaType } from '../../status.ts';
import type { PatchType } from '../types.ts';
import { applyJSONPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';

export const supportedPatchTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  switch (type) {
    case 'json':
      return applyJSONPatch(target, patch);
    case 'merge':
      return applyMergePatch(target, patch);
    case 'strategic':
      return applyStrategicMergePatch(target, patch);
    case 'apply':
      // Server-side apply is a later issue; until then the media type is refused like an unknown one.
      throw unsupportedMediaType('application/apply-patch+yaml', supportedPatchTypes);
  }
}
