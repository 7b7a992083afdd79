/**
 * How server-side apply sees an object through its schema (structured-merge-diff's typed values):
 * which maps are granular, which lists are keyed maps, sets or atomic, and the path element of each
 * list item. Also: the field set of an applied configuration, and the comparison of two objects.
 */

import type { PatchSchema } from '../patch/patch-schema.ts';
import { deepEqual } from '../strategies/shared.ts';
import { FieldSet } from './field-set.ts';

type JsonMap = Record<string, unknown>;

export function isMap(v: unknown): v is JsonMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `keys` of a keyed list are sorted, as path elements print them. */
export type ListKind = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: readonly string[] };

// Schema nodes are cached and long-lived; every list of every write asks for its kind.
const listKinds = new WeakMap<PatchSchema, ListKind>();

/**
 * A list's kind: x-kubernetes-list-type when given; else, as kube's OpenAPI-to-SMD conversion does,
 * a `merge` patch strategy makes a keyed list (by the merge key) or a set (primitives); else atomic.
 */
export function listKindOf(schema: PatchSchema): ListKind {
  let kind = listKinds.get(schema);
  if (!kind) {
    kind = readListKind(schema);
    if (kind.type === 'map') kind = { type: 'map', keys: [...kind.keys].sort() };
    listKinds.set(schema, kind);
  }
  return kind;
}

function readListKind(schema: PatchSchema): ListKind {
  const meta = schema.meta;
  if (meta.listType === 'atomic') return { type: 'atomic' };
  if (meta.listType === 'set') return { type: 'set' };
  if (meta.listType === 'map')
    return { type: 'map', keys: meta.listMapKeys ?? (meta.patchMergeKey ? [meta.patchMergeKey] : []) };
  if (meta.patchStrategy?.split(',').includes('merge')) {
    return meta.patchMergeKey ? { type: 'map', keys: [meta.patchMergeKey] } : { type: 'set' };
  }
  return { type: 'atomic' };
}

export function isAtomicMap(schema: PatchSchema): boolean {
  return schema.meta.mapType === 'atomic';
}

// Key fields with a schema default: the applied item and the stored, defaulted one must match.
const keyDefaults: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/**
 * Path elements by key value, per list kind: every write names every item of every list several
 * times (merge, match, compare) and the key values repeat from write to write, while making an
 * element takes two JSON.stringify calls and a concatenation. A list keyed by several fields nests
 * one map per key (sorted); bounded, since key values are user data.
 */
interface ElementMemo {
  size: number;
  root: Map<unknown, unknown>;
}
const elementMemos = new WeakMap<ListKind, ElementMemo>();
const maxMemoizedElements = 4096;
/** A key field the item lacks (and that has no default). */
const absent = Symbol('absent');

function isPrimitive(value: unknown): value is string | number | boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

const indexElements = Array.from({ length: 64 }, (_, i) => `i:${i}`);

function indexElement(index: number): string {
  return indexElements[index] ?? `i:${index}`;
}

// Field elements, for the same reason: `f:` + key is a new string each time, and looking one up in
// a fieldsV1 object first makes V8 hash and intern it; a memo hands back the interned one.
const fieldElements = new Map<string, string>();

/** `f:<key>`, the path element of a map entry or struct field. */
export function fieldElement(key: string): string {
  let element = fieldElements.get(key);
  if (element === undefined) {
    if (fieldElements.size >= maxMemoizedElements) fieldElements.clear();
    element = `f:${key}`;
    fieldElements.set(key, element);
  }
  return element;
}

/** The path element of a list item: `k:{"name":"web"}` (keys sorted), `v:"a"`, or `i:2`. */
export function itemElement(kind: ListKind, item: unknown, index: number): string {
  if (kind.type === 'set') return isPrimitive(item) ? memoizedElement(kind, item) : `v:${JSON.stringify(item)}`;
  if (kind.type !== 'map' || !isMap(item) || kind.keys.length === 0) return indexElement(index);
  if (kind.keys.length === 1) {
    const key = kind.keys[0] as string;
    const value = item[key] ?? keyDefaults[key];
    if (value === undefined) return indexElement(index);
    return isPrimitive(value) ? memoizedElement(kind, value) : keyElement(kind, [value]);
  }
  const values = kind.keys.map((key) => item[key] ?? keyDefaults[key] ?? absent);
  if (values.every((value) => value === absent)) return indexElement(index);
  const isMemoizable = values.every((value) => value === absent || isPrimitive(value));
  return isMemoizable ? memoizedElement(kind, values) : keyElement(kind, values);
}

/** `k:` and the JSON of the present key fields, in key order. */
function keyElement(kind: ListKind & { type: 'map' }, values: readonly unknown[]): string {
  const keys: JsonMap = {};
  kind.keys.forEach((key, i) => {
    if (values[i] !== absent) keys[key] = values[i];
  });
  return `k:${JSON.stringify(keys)}`;
}

/** The element of a set item or single key value (a primitive), or of several key values. */
function memoizedElement(kind: ListKind, value: unknown): string {
  let memo = elementMemos.get(kind);
  if (!memo || memo.size >= maxMemoizedElements) {
    memo = { size: 0, root: new Map() };
    elementMemos.set(kind, memo);
  }
  let level = memo.root;
  let last = value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length - 1; i++) {
      let next = level.get(value[i]) as Map<unknown, unknown> | undefined;
      if (!next) {
        next = new Map();
        level.set(value[i], next);
      }
      level = next;
    }
    last = value[value.length - 1];
  }
  let element = level.get(last) as string | undefined;
  if (element === undefined) {
    if (kind.type === 'map') element = keyElement(kind, Array.isArray(value) ? value : [value]);
    else element = `v:${JSON.stringify(value)}`;
    level.set(last, element);
    memo.size++;
  }
  return element;
}

/** Items of a granular list by path element. */
export function itemsByElement(kind: ListKind, list: readonly unknown[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  list.forEach((item, i) => {
    out.set(itemElement(kind, item, i), item);
  });
  return out;
}

/**
 * The fields an applied configuration sets (SMD ToFieldSet): every scalar, atomic value, list item,
 * map entry and empty or null value; a struct field holding a non-empty struct is only a parent.
 */
export function fieldSetOf(value: unknown, schema: PatchSchema): FieldSet {
  const root = new FieldSet();
  collect(root, value, schema);
  return root;
}

function collect(node: FieldSet, value: unknown, schema: PatchSchema): void {
  if (Array.isArray(value)) {
    const kind = listKindOf(schema);
    if (kind.type === 'atomic') {
      node.isMember = true;
      return;
    }
    const element = schema.element();
    value.forEach((item, i) => {
      const child = node.child(itemElement(kind, item, i));
      child.isMember = true;
      collect(child, item, element);
    });
    return;
  }
  if (!isMap(value) || isAtomicMap(schema)) {
    node.isMember = true;
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    const child = node.child(fieldElement(key));
    const isEmpty = inner === null || (isMap(inner) && Object.keys(inner).length === 0);
    if (isEmpty || !schema.isStruct) child.isMember = true;
    collect(child, inner, schema.field(key));
  }
}

/**
 * Whether `fieldSetOf(value, schema)` is the set a valid fieldsV1 value describes, found without
 * building the set (a re-apply of the same manifest with new values is the common apply). False
 * also when it cannot tell cheaply (items with the same path element): callers then build the set.
 */
export function fieldSetMatches(value: unknown, schema: PatchSchema, fieldsV1: Record<string, unknown>): boolean {
  return matchesNode(value, schema, fieldsV1, false);
}

/** `isMember`: what the parent's collect made of this node before collecting into it. */
function matchesNode(value: unknown, schema: PatchSchema, json: Record<string, unknown>, isMember: boolean): boolean {
  let member = isMember;
  let children = 0;
  if (Array.isArray(value)) {
    const kind = listKindOf(schema);
    if (kind.type === 'atomic') member = true;
    else {
      const element = schema.element();
      const seen = value.length > 1 ? new Set<string>() : undefined;
      for (let i = 0; i < value.length; i++) {
        const name = itemElement(kind, value[i], i);
        if (seen) {
          if (seen.has(name)) return false;
          seen.add(name);
        }
        const inner = json[name];
        if (!isMap(inner) || !Object.hasOwn(json, name) || !matchesNode(value[i], element, inner, true)) return false;
        children++;
      }
    }
  } else if (!isMap(value) || isAtomicMap(schema)) member = true;
  else {
    for (const key of Object.keys(value)) {
      const name = fieldElement(key);
      const inner = json[name];
      if (!isMap(inner) || !Object.hasOwn(json, name)) return false;
      const field = value[key];
      const isEmpty = field === null || (isMap(field) && Object.keys(field).length === 0);
      if (!matchesNode(field, schema.field(key), inner, isEmpty || !schema.isStruct)) return false;
      children++;
    }
  }
  let count = 0;
  for (const _ in json) count++;
  const hasDot = Object.hasOwn(json, '.');
  return member === (count === 0 || hasDot) && children === count - (hasDot ? 1 : 0);
}

/** What an update changed: fields it set or changed, and fields it removed. */
export interface Comparison {
  changed: FieldSet;
  removed: FieldSet;
}

/**
 * The fields that differ between two versions of an object; with a `scope`, only those on its paths
 * (what intersecting with, or subtracting from, a subset of `scope` needs: nodes off its paths would
 * meet no node there).
 */
export function compareObjects(old: unknown, next: unknown, schema: PatchSchema, scope?: FieldSet): Comparison {
  const comparison = { changed: new FieldSet(), removed: new FieldSet() };
  if (!isSameValue(old, next)) compareNode(old, next, schema, comparison.changed, comparison.removed, scope);
  comparison.changed.prune();
  comparison.removed.prune();
  return comparison;
}

/**
 * Whether compareObjects would find anything changed or removed, without building the sets (an
 * apply that no other manager shares needs only this). Every entry compareObjects adds holds a
 * member, so the first difference of its walk answers.
 */
export function hasChanges(old: unknown, next: unknown, schema: PatchSchema): boolean {
  return !isSameValue(old, next) && nodeChanges(old, next, schema);
}

/** compareNode's walk with its answer only; `old` and `next` are known to differ. */
function nodeChanges(old: unknown, next: unknown, schema: PatchSchema): boolean {
  if (Array.isArray(old) && Array.isArray(next)) {
    const kind = listKindOf(schema);
    if (kind.type === 'atomic') return !deepEqual(old, next);
    const before = itemsByElement(kind, old);
    const after = itemsByElement(kind, next);
    if (before.size !== after.size) return true;
    const element = schema.element();
    for (const [name, value] of after) {
      if (!before.has(name)) return true;
      const previous = before.get(name);
      if (!isSameValue(previous, value) && nodeChanges(previous, value, element)) return true;
    }
    return false;
  }
  if (isMap(old) && isMap(next) && !isAtomicMap(schema)) {
    let shared = 0;
    for (const key of Object.keys(next)) {
      if (!Object.hasOwn(old, key)) return true;
      shared++;
      const before = old[key];
      const value = next[key];
      if (!isSameValue(before, value) && nodeChanges(before, value, schema.field(key))) return true;
    }
    return shared !== Object.keys(old).length;
  }
  return !deepEqual(old, next);
}

/** The part of a scope below `element`: null when nothing there is in scope (no scope: everything is). */
function within(scope: FieldSet | undefined, element: string): FieldSet | undefined | null {
  return scope === undefined ? undefined : (scope.children.get(element) ?? null);
}

/** `old` and `next` are known to differ (isSameValue is false). */
function compareNode(
  old: unknown,
  next: unknown,
  schema: PatchSchema,
  changed: FieldSet,
  removed: FieldSet,
  scope: FieldSet | undefined,
): void {
  if (Array.isArray(old) && Array.isArray(next)) {
    const kind = listKindOf(schema);
    if (kind.type === 'atomic') {
      if (!deepEqual(old, next)) changed.isMember = true;
      return;
    }
    compareItems(itemsByElement(kind, old), itemsByElement(kind, next), schema.element(), changed, removed, scope);
    return;
  }
  if (isMap(old) && isMap(next) && !isAtomicMap(schema)) {
    compareMaps(old, next, schema, changed, removed, scope);
    return;
  }
  if (!deepEqual(old, next)) changed.isMember = true;
}

/**
 * compareItems for two maps, read in place: most keys of an object are unchanged by a write, so
 * they cost one isSameValue walk and no path element, child node or schema lookup.
 */
function compareMaps(
  old: JsonMap,
  next: JsonMap,
  schema: PatchSchema,
  changed: FieldSet,
  removed: FieldSet,
  scope: FieldSet | undefined,
): void {
  const isEntryMember = !schema.isStruct;
  for (const key of Object.keys(next)) {
    const value = next[key];
    if (Object.hasOwn(old, key)) {
      const before = old[key];
      if (isSameValue(before, value)) continue;
      const element = fieldElement(key);
      const inner = within(scope, element);
      if (inner === null) continue;
      compareNode(before, value, schema.field(key), changed.child(element), removed.child(element), inner);
      continue;
    }
    const element = fieldElement(key);
    if (within(scope, element) !== null) addEntry(changed, element, value, schema.field(key), isEntryMember, schema);
  }
  for (const key of Object.keys(old)) {
    if (Object.hasOwn(next, key)) continue;
    const element = fieldElement(key);
    if (within(scope, element) === null) continue;
    const child = removed.child(element);
    addAll(child, old[key], schema.field(key));
    child.isMember = true;
  }
}

/** The items of two versions of a granular list, by path element. */
function compareItems(
  before: Map<string, unknown>,
  after: Map<string, unknown>,
  element: PatchSchema,
  changed: FieldSet,
  removed: FieldSet,
  scope: FieldSet | undefined,
): void {
  for (const [name, value] of after) {
    const inner = within(scope, name);
    if (inner === null) continue;
    if (!before.has(name)) {
      addEntry(changed, name, value, element, true, undefined);
      continue;
    }
    const old = before.get(name);
    if (isSameValue(old, value)) continue;
    compareNode(old, value, element, changed.child(name), removed.child(name), inner);
  }
  for (const [name, value] of before) {
    if (after.has(name) || within(scope, name) === null) continue;
    const child = removed.child(name);
    addAll(child, value, element);
    child.isMember = true;
  }
}

/** An entry the update added, with everything below it. */
function addEntry(
  changed: FieldSet,
  element: string,
  value: unknown,
  childSchema: PatchSchema,
  isEntryMember: boolean,
  parent: PatchSchema | undefined,
): void {
  const child = changed.child(element);
  addAll(child, value, childSchema);
  // A Go struct that is always present (a value field, or a required one) is not "added" itself.
  const isNonEmpty = Array.isArray(value) ? value.length > 0 : isMap(value) && Object.keys(value).length > 0;
  const isImplicit =
    isNonEmpty && ((isMap(value) && childSchema.isStruct) || (parent?.required.has(element.slice(2)) ?? false));
  child.isMember = isEntryMember || !isImplicit;
}

/**
 * Structurally identical, undefined-valued keys included: exactly when compareNode would find
 * nothing changed and nothing removed below, whatever the schema says.
 */
function isSameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!isSameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as JsonMap;
  const y = b as JsonMap;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const key of keys) if (!Object.hasOwn(y, key) || !isSameValue(x[key], y[key])) return false;
  return true;
}

/** Every node below `value` as added by an update (see compareItems for which nodes count). */
function addAll(node: FieldSet, value: unknown, schema: PatchSchema): void {
  if (Array.isArray(value)) {
    const kind = listKindOf(schema);
    if (kind.type === 'atomic') {
      node.isMember = true;
      return;
    }
    const element = schema.element();
    for (const [name, item] of itemsByElement(kind, value)) addEntry(node, name, item, element, true, undefined);
    return;
  }
  if (isMap(value) && !isAtomicMap(schema)) {
    const keys = Object.keys(value);
    if (keys.length === 0) node.isMember = true;
    for (const key of keys) addEntry(node, fieldElement(key), value[key], schema.field(key), !schema.isStruct, schema);
    return;
  }
  node.isMember = true;
}
