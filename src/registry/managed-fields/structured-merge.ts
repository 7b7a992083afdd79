/**
 * The two object operations of server-side apply (structured-merge-diff merge and RemoveItems):
 * merging an applied configuration into the live object, and removing the fields an applier gave up.
 */
import { copyValue } from '../../copy-value.ts';
import type { PatchSchema } from '../patch/patch-schema.ts';
import { isAtomicMap, isMap, itemElement, itemsByElement, listKindOf } from './field-paths.ts';
import { FieldSet } from './field-set.ts';

type JsonMap = Record<string, unknown>;

/**
 * The live object with the configuration merged in: granular maps key by key, keyed lists item by
 * item (live order, new items after), sets as unions, everything else replaced by the configuration.
 * A `null` in the configuration removes the field.
 */
export function mergeConfiguration(live: unknown, config: unknown, schema: PatchSchema): unknown {
  if (typeof config !== 'object' || config === null) return config;
  if (Array.isArray(config)) return mergeList(live, config, schema);
  if (isMap(config) && !isAtomicMap(schema)) {
    const out: JsonMap = isMap(live) ? { ...live } : {};
    for (const key of Object.keys(config)) {
      const value = config[key];
      if (value === null) delete out[key];
      else out[key] = mergeConfiguration(out[key], value, schema.field(key));
    }
    return out;
  }
  return copyValue(config);
}

function mergeList(live: unknown, config: readonly unknown[], schema: PatchSchema): unknown {
  const kind = listKindOf(schema);
  if (kind.type === 'atomic' || !Array.isArray(live)) return copyValue(config);
  const element = schema.element();
  const configItems = itemsByElement(kind, config);
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (let i = 0; i < live.length; i++) {
    const item: unknown = live[i];
    const name = itemElement(kind, item, i);
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(configItems.has(name) ? mergeConfiguration(item, configItems.get(name), element) : item);
  }
  for (const [name, item] of configItems) if (!seen.has(name)) out.push(mergeConfiguration(undefined, item, element));
  return out;
}

/**
 * Removes from `value` the members of `remove`, except where a field below is in `keep` (then only
 * the parts nobody keeps go). Returns the new value; the input is not changed.
 */
export function removeFields(value: unknown, remove: FieldSet, keep: FieldSet, schema: PatchSchema): unknown {
  if (remove.children.size === 0) return value;
  if (Array.isArray(value)) {
    const kind = listKindOf(schema);
    if (kind.type === 'atomic') return value;
    const element = schema.element();
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const name = itemElement(kind, item, i);
      const target = remove.children.get(name);
      if (!target) out.push(item);
      else {
        const kept = keep.children.get(name);
        if (target.isMember && !kept) return;
        out.push(removeFields(item, target, kept ?? new FieldSet(), element));
      }
    });
    return out;
  }
  if (isMap(value) && !isAtomicMap(schema)) {
    const out: JsonMap = { ...value };
    for (const [name, target] of remove.children) {
      if (!name.startsWith('f:')) continue;
      const key = name.slice(2);
      if (!(key in out)) continue;
      const kept = keep.children.get(name);
      if (target.isMember && !kept) {
        delete out[key];
        continue;
      }
      const rest = removeFields(out[key], target, kept ?? new FieldSet(), schema.field(key));
      // Emptied by the removal: Go's omitempty drops it when the object is decoded, so do we.
      if (isEmptyValue(rest) && !isEmptyValue(out[key])) delete out[key];
      else out[key] = rest;
    }
    return out;
  }
  return value;
}

function isEmptyValue(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : isMap(value) && Object.keys(value).length === 0;
}
