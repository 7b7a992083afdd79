/**
 * The informer's store: objects by `namespace/name` (or `name` for cluster-scoped kinds) plus named
 * indexes, e.g. all pods of one node. Objects in it are shared by every handler and must be treated
 * as read-only.
 */
import type { KubeObject } from '../../types/meta.ts';

/** Values an object is filed under in one index (an object may be under several, or none). */
export type IndexFunc<T extends KubeObject> = (object: Readonly<T>) => string[];

export function keyOf(object: Pick<KubeObject, 'metadata'>): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : (name ?? '');
}

/** Splits a key made by `keyOf` back into its parts. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export const byNamespace: IndexFunc<KubeObject> = (o) => (o.metadata.namespace ? [o.metadata.namespace] : []);

export const byNodeName: IndexFunc<KubeObject> = (o) => {
  const spec = o.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' && spec.nodeName ? [spec.nodeName] : [];
};

export interface Cache<T extends KubeObject> {
  get(key: string): Readonly<T> | undefined;
  list(): Readonly<T>[];
  keys(): string[];
  byIndex(index: string, value: string): Readonly<T>[];
  addIndex(index: string, fn: IndexFunc<T>): void;
  /** Stores the object and returns the one it replaced. */
  set(object: Readonly<T>): Readonly<T> | undefined;
  delete(key: string): Readonly<T> | undefined;
}

export function createCache<T extends KubeObject>(): Cache<T> {
  const items = new Map<string, Readonly<T>>();
  const indexes = new Map<string, { fn: IndexFunc<T>; values: Map<string, Set<string>> }>();

  function unindex(key: string, object: Readonly<T>) {
    for (const index of indexes.values()) {
      for (const value of index.fn(object)) {
        const keys = index.values.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.values.delete(value);
      }
    }
  }
  function reindex(key: string, object: Readonly<T>, only?: IndexFunc<T>) {
    for (const index of indexes.values()) {
      if (only && index.fn !== only) continue;
      for (const value of index.fn(object)) {
        const keys = index.values.get(value);
        if (keys) keys.add(key);
        else index.values.set(value, new Set([key]));
      }
    }
  }

  return {
    get: (key) => items.get(key),
    list: () => [...items.values()],
    keys: () => [...items.keys()],
    byIndex(index, value) {
      const keys = indexes.get(index)?.values.get(value);
      if (!keys) return [];
      // A plain loop: owners with 10,000 pods read this on every sync.
      const found: Readonly<T>[] = [];
      for (const k of keys) {
        const o = items.get(k);
        if (o) found.push(o);
      }
      return found;
    },
    addIndex(index, fn) {
      if (indexes.has(index)) return;
      indexes.set(index, { fn, values: new Map() });
      for (const [key, object] of items) reindex(key, object, fn);
    },
    set(object) {
      const key = keyOf(object);
      const old = items.get(key);
      if (old) unindex(key, old);
      items.set(key, object);
      reindex(key, object);
      return old;
    },
    delete(key) {
      const old = items.get(key);
      if (!old) return undefined;
      unindex(key, old);
      items.delete(key);
      return old;
    },
  };
}
