/**
 * A minimal strategic merge patch, until the OpenAPI-driven one replaces this file: a merge patch that
 * merges the well-known keyed lists element-wise and understands the `$patch`, `$retainKeys`,
 * `$setElementOrder/…` and `$deleteFromPrimitiveList/…` directives. Lists not named here are replaced,
 * as lists without a patch strategy are.
 */

type Json = Record<string, unknown>;

/** Lists merged by key: field name → merge key (x-kubernetes-patch-merge-key in the real schema). */
const mergeKeys: Readonly<Record<string, (element: Json) => string>> = {
  containers: () => 'name',
  initContainers: () => 'name',
  ephemeralContainers: () => 'name',
  env: () => 'name',
  volumes: () => 'name',
  volumeMounts: () => 'mountPath',
  imagePullSecrets: () => 'name',
  // Container ports merge by containerPort, Service ports by port.
  ports: (e) => ('containerPort' in e ? 'containerPort' : 'port'),
  conditions: () => 'type',
  ownerReferences: () => 'uid',
};

/** Primitive lists whose strategy is merge: patches add to them instead of replacing. */
const primitiveMergeLists = new Set(['finalizers']);

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function applyStrategicMergePatch(original: unknown, patch: unknown): unknown {
  return mergeValue(original, patch, '');
}

function mergeValue(original: unknown, patch: unknown, field: string): unknown {
  if (isObject(patch)) return mergeMap(isObject(original) ? original : {}, patch);
  if (Array.isArray(patch)) return mergeList(Array.isArray(original) ? original : [], patch, field);
  return structuredClone(patch);
}

function mergeMap(original: Json, patch: Json): Json | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  const body = stripDirectives(patch);
  if (directive === 'replace') return body;
  const result: Json = structuredClone(original);
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = mergeValue(result[key], value, key);
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$deleteFromPrimitiveList/') && Array.isArray(value)) {
      const list = key.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(result[list])) result[list] = (result[list] as unknown[]).filter((v) => !value.includes(v));
    }
    if (key.startsWith('$setElementOrder/') && Array.isArray(value)) {
      const list = key.slice('$setElementOrder/'.length);
      if (Array.isArray(result[list])) result[list] = reorder(result[list] as unknown[], value, list);
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }
  return result;
}

/** The patch without `$` directives at any depth (for `$patch: replace`). */
function stripDirectives(value: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) continue;
    out[k] = isObject(v)
      ? stripDirectives(v)
      : Array.isArray(v)
        ? v.map((e) => (isObject(e) ? stripDirectives(e) : e))
        : v;
  }
  return out;
}

function mergeList(original: unknown[], patch: unknown[], field: string): unknown[] {
  if (primitiveMergeLists.has(field)) {
    const out = [...original];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  const keyOf = mergeKeys[field];
  const elements = patch.filter(isObject);
  if (!keyOf || elements.length !== patch.length) return stripList(patch);
  if (elements.some((e) => e.$patch === 'replace'))
    return stripList(patch.filter((e) => !(isObject(e) && e.$patch === 'replace' && Object.keys(e).length === 1)));
  const result = original.map((e) => structuredClone(e));
  for (const element of elements) {
    const key = keyOf(element);
    const at = result.findIndex((o) => isObject(o) && o[key] === element[key]);
    if (element.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
      continue;
    }
    if (at >= 0) result[at] = mergeMap(result[at] as Json, element);
    else result.push(stripDirectives(element));
  }
  return result;
}

function stripList(list: unknown[]): unknown[] {
  return list.map((e) => (isObject(e) ? stripDirectives(e) : e));
}

/** `$setElementOrder`: listed elements first in the given order, the rest after, as they were. */
function reorder(list: unknown[], order: unknown[], field: string): unknown[] {
  const keyOf = mergeKeys[field];
  const identity = (e: unknown): unknown => (isObject(e) && keyOf ? e[keyOf(e)] : e);
  const wanted = order.map((o) => (isObject(o) ? Object.values(o)[0] : o));
  const ordered: unknown[] = [];
  for (const w of wanted) {
    const found = list.find((e) => identity(e) === w);
    if (found !== undefined && !ordered.includes(found)) ordered.push(found);
  }
  for (const e of list) if (!ordered.includes(e)) ordered.push(e);
  return ordered;
}
