/** The field manager of one registry write, from the request context and the resource. */
import { patchSchemaFor } from '../patch/patch-schema.ts';
import { timestamp } from '../registry-state.ts';
import { groupVersion, type RequestContext, type ResourceDef } from '../types.ts';
import { hasStatusSubresource } from '../write-checks.ts';
import type { FieldManagerRequest } from './managed-fields.ts';

/**
 * Undefined when the write has no manager (in-process callers that name none): such writes leave
 * managedFields as they were, as a real server's requests always carry at least a User-Agent.
 */
export function fieldManagerRequest(
  def: ResourceDef,
  context: RequestContext,
  nowMs: number,
  subresource?: string,
): FieldManagerRequest | undefined {
  if (!context.fieldManager) return undefined;
  const request: FieldManagerRequest = {
    manager: context.fieldManager,
    apiVersion: groupVersion(def),
    schema: patchSchemaFor(def.group, def.version, def.kind),
    now: secondsTimestamp(nowMs),
    resetsStatus: subresource === undefined && hasStatusSubresource(def),
  };
  if (subresource) request.subresource = subresource;
  return request;
}

// Every write formats its time; writes within one second share the text (Date formatting is not cheap).
let lastSecond = Number.NaN;
let lastText = '';

function secondsTimestamp(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = timestamp(ms);
    lastSecond = second;
  }
  return lastText;
}
