/**
 * Strategic merge patch as kube-apiserver applies it (apimachinery strategicpatch, server side with
 * IgnoreUnmatchedNulls): a JSON merge patch whose lists follow the schema's patch strategy.
 *
 * - Maps merge recursively; `null` deletes a key. `$patch: replace` replaces the map, `$patch: delete`
 *   empties it; `$retainKeys: [...]` drops the keys it does not list.
 * - Lists with strategy `merge` and a merge key merge element-wise by it; elements may say
 *   `$patch: delete` (remove by key) or `$patch: replace` (the list becomes the patch's elements).
 *   Primitive `merge` lists are unions; `$deleteFromPrimitiveList/<f>` removes values from them.
 * - `$setElementOrder/<f>` gives the order of the merged list; without it, patched elements keep
 *   the patch's order and the server's other elements keep their places relative to them.
 * - Every other list is replaced by the patch's.
 * The input objects are never changed.
 */
import { badRequest } from '../../status.ts';
import { deepEqual } from '../strategies/shared.ts';
import { type PatchSchema, unknownSchema } from './patch-schema.ts';

type JsonMap = Record<string, unknown>;

const directive = '$patch';
const retainKeys = '$retainKeys';
const deleteFromPrimitiveList = '$deleteFromPrimitiveList/';
const setElementOrder = '$setElementOrder/';

function isMap(v: unknown): v is JsonMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function hasStrategy(schema: PatchSchema, strategy: string): boolean {
  return schema.meta.patchStrategy?.split(',').includes(strategy) ?? false;
}

export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  schema: PatchSchema = unknownSchema,
): unknown {
  if (!isMap(patch)) throw badRequest('the body of a strategic merge patch must be a JSON object');
  return mergeMap(isMap(original) ? original : {}, patch, schema);
}

function mergeValue(original: unknown, patch: unknown, schema: PatchSchema): unknown {
  if (isMap(patch)) {
    if (hasStrategy(schema, 'replace')) return mergeMap({}, patch, schema);
    return mergeMap(isMap(original) ? original : {}, patch, schema);
  }
  if (Array.isArray(patch)) {
    if (!hasStrategy(schema, 'merge')) return cleanList(patch, schema.element());
    return mergeList(Array.isArray(original) ? original : [], patch, schema);
  }
  return patch;
}

function mergeMap(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  const kind = patch[directive];
  if (kind !== undefined) {
    if (kind === 'delete') return {};
    if (kind === 'replace') {
      const { [directive]: _, ...rest } = patch;
      return mergeMap({}, rest, schema);
    }
    if (kind !== 'merge') throw badRequest(`Unknown patch type: ${String(kind)} in map: ${JSON.stringify(patch)}`);
  }
  const result: JsonMap = { ...original };
  const keep = patch[retainKeys];
  if (keep !== undefined) applyRetainKeys(result, patch, keep);
  const ordered = new Set<string>();
  for (const [key, value] of Object.entries(patch)) {
    if (!key.startsWith(setElementOrder)) continue;
    const field = key.slice(setElementOrder.length);
    ordered.add(field);
    mergeOrderedList(result, field, patch, value, schema.field(field));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === directive || key === retainKeys || key.startsWith(setElementOrder) || ordered.has(key)) continue;
    if (key.startsWith(deleteFromPrimitiveList)) {
      const field = key.slice(deleteFromPrimitiveList.length);
      if (!Array.isArray(value)) throw badRequest(`${key} must be a list of values`);
      const list = result[field];
      if (Array.isArray(list)) result[field] = list.filter((e) => !value.some((v) => deepEqual(v, e)));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    result[key] = mergeValue(result[key], value, schema.field(key));
  }
  return result;
}

/** `$retainKeys`: the original keeps only the listed keys; the patch may set no other key. */
function applyRetainKeys(result: JsonMap, patch: JsonMap, keep: unknown): void {
  if (!Array.isArray(keep)) throw badRequest(`invalid patch: ${retainKeys} must be a list of strings`);
  const names = new Set(keep.map(String));
  for (const key of Object.keys(patch)) {
    if (key.startsWith('$') || names.has(key) || patch[key] === null) continue;
    throw badRequest(`doesn't match the patch content: the key ${JSON.stringify(key)} is not in ${retainKeys}`);
  }
  for (const key of Object.keys(result)) if (!names.has(key)) delete result[key];
}

/** `$setElementOrder/<field>` with (or without) the list patch it orders. */
function mergeOrderedList(result: JsonMap, field: string, patch: JsonMap, order: unknown, schema: PatchSchema): void {
  if (!Array.isArray(order)) throw badRequest(`${setElementOrder}${field} must be a list`);
  const original = Array.isArray(result[field]) ? (result[field] as unknown[]) : [];
  const listPatch = patch[field];
  if (listPatch === null) {
    delete result[field];
    return;
  }
  const merged = Array.isArray(listPatch) ? mergeList(original, listPatch, schema, order) : original;
  const reordered = orderElements(merged, order, original, schema.meta.patchMergeKey);
  if (reordered.length > 0 || field in result) result[field] = reordered;
}

function mergeList(original: unknown[], patch: unknown[], schema: PatchSchema, order?: unknown[]): unknown[] {
  const mergeKey = schema.meta.patchMergeKey;
  const isPrimitive = !patch.some(isMap) && !original.some(isMap);
  if (isPrimitive) {
    const merged = [...original];
    for (const v of patch) if (!merged.some((e) => deepEqual(e, v))) merged.push(v);
    return order ? merged : orderElements(merged, patch, original, undefined);
  }
  if (!mergeKey) throw badRequest('cannot merge lists without merge key');
  let base = original;
  const plain: JsonMap[] = [];
  let isReplace = false;
  for (const element of patch) {
    if (!isMap(element))
      throw badRequest(`expected a map in a list merged by ${mergeKey}, got ${JSON.stringify(element)}`);
    const kind = element[directive];
    if (kind === undefined) plain.push(element);
    else if (kind === 'delete') {
      if (!(mergeKey in element))
        throw badRequest(`map: ${JSON.stringify(element)} does not contain declared merge key: ${mergeKey}`);
      base = base.filter((e) => !(isMap(e) && deepEqual(e[mergeKey], element[mergeKey])));
    } else if (kind === 'replace') isReplace = true;
    else if (kind === 'merge') throw badRequest('merging lists cannot yet be specified in the patch');
    else throw badRequest(`Unknown patch type: ${String(kind)} in map: ${JSON.stringify(element)}`);
  }
  const elementSchema = schema.element();
  if (isReplace) return plain.map((e) => mergeMap({}, e, elementSchema));
  const merged = [...base];
  for (const element of plain) {
    if (!(mergeKey in element))
      throw badRequest(`map: ${JSON.stringify(element)} does not contain declared merge key: ${mergeKey}`);
    const at = merged.findIndex((e) => isMap(e) && deepEqual(e[mergeKey], element[mergeKey]));
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonMap, element, elementSchema);
    else merged.push(mergeMap({}, element, elementSchema));
  }
  return order ? merged : orderElements(merged, plain, original, mergeKey);
}

/** A replaced list: its map elements lose directives (they were patches of nothing). */
function cleanList(list: unknown[], schema: PatchSchema): unknown[] {
  return list.map((e) => (isMap(e) ? mergeMap({}, e, schema) : e));
}

/**
 * Order of a merged list (strategicpatch normalizeElementOrder): elements named by `order` sorted
 * by it, the server's other elements in their original order, the two interleaved by their places
 * in the original list; where that cannot tell (a new element), the patched element goes first.
 */
function orderElements(
  merged: unknown[],
  order: unknown[],
  original: unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const identity = (e: unknown): unknown => (mergeKey && isMap(e) ? e[mergeKey] : e);
  const indexIn = (list: unknown[], e: unknown): number => {
    const id = identity(e);
    return list.findIndex((o) => deepEqual(identity(o), id));
  };
  const patched: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const e of merged) (indexIn(order, e) >= 0 ? patched : serverOnly).push(e);
  patched.sort((a, b) => indexIn(order, a) - indexIn(order, b));
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patched.length) {
    if (j >= patched.length) result.push(serverOnly[i++]);
    else if (i >= serverOnly.length) result.push(patched[j++]);
    else {
      const left = indexIn(original, serverOnly[i]);
      const right = indexIn(original, patched[j]);
      if (left >= 0 && right >= 0 && left < right) result.push(serverOnly[i++]);
      else result.push(patched[j++]);
    }
  }
  return result;
}
