/**
 * Helpers every strategy shares: what counts as a spec change, field-path getters for field selectors,
 * and the immutability check. Kept here so that no two strategies carry their own copy.
 */
import type { FieldError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';

/** True when anything outside metadata and status differs: the rule for bumping metadata.generation. */
export function specChanged(object: KubeObject, old: KubeObject): boolean {
  const { metadata: _a, status: _b, ...next } = object;
  const { metadata: _c, status: _d, ...prev } = old;
  return !deepEqual(next, prev);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The value at a dotted path (`spec.nodeName`), or undefined. */
export function valueAt(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** A field-selector getter for a dotted path, rendering values as the selector compares them. */
export function fieldPath(path: string): (object: KubeObject) => string {
  return (object) => {
    const v = valueAt(object, path);
    if (v === undefined || v === null) return typeof v === 'undefined' && path.endsWith('hostNetwork') ? 'false' : '';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
}

/** Object-valued fields of a wire object, created on demand (defaulting helpers write into them). */
export function objectField(parent: Record<string, unknown>, name: string): Record<string, unknown> {
  const v = parent[name];
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  parent[name] = created;
  return created;
}

export function arrayField(parent: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const v = parent[name];
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[]) : [];
}

export function setDefault(target: Record<string, unknown>, field: string, value: unknown): void {
  if (target[field] === undefined || target[field] === null) target[field] = value;
}

/** `field is immutable`, as apimachinery ValidateImmutableField words it. */
export function immutable(field: string, value: unknown, old: unknown): FieldError[] {
  return deepEqual(value, old) ? [] : [{ type: 'FieldValueInvalid', field, value, detail: 'field is immutable' }];
}
