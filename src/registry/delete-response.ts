/**
 * What a DELETE answers (apiserver store.go Delete): the object while deletion is pending or for the
 * kinds whose strategy says so (pods, serviceaccounts, pvs, pvcs); otherwise a Status Success with the
 * object's name, group, kind (the resource) and uid.
 */
import { successStatus } from '../status.ts';
import type { DeleteResult, ResourceDef } from './types.ts';

export function deleteResponseBody(def: ResourceDef, result: DeleteResult): unknown {
  if (result.pending || def.strategy.deleteReturnsObject) return result.object;
  const m = result.object.metadata;
  const details: { name?: string; group?: string; kind: string; uid?: string } = { kind: def.plural };
  if (m.name) details.name = m.name;
  if (def.group) details.group = def.group;
  if (m.uid) details.uid = m.uid;
  return successStatus(details);
}
