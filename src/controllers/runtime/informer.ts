/**
 * An informer: list, then watch from the list's resourceVersion, keeping a cache and telling handlers
 * what changed. Built on the client only (client-go reflector + shared informer, simplified): on 410
 * Expired it re-lists at once; on other errors it re-lists after a capped backoff; a cleanly ended
 * watch (timeoutSeconds) is resumed from the last resourceVersion seen, bookmarks included.
 */
import type { ResourceClient } from '../../client/types.ts';
import { withoutUndefined } from '../../client/without-undefined.ts';
import { isStatusError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { type Cache, createCache, type IndexFunc, keyOf } from './cache.ts';
import { type Clock, realClock } from './clock.ts';

export interface InformerHandlers<T extends KubeObject> {
  onAdd?(object: Readonly<T>): void;
  onUpdate?(old: Readonly<T>, object: Readonly<T>): void;
  /** The object's last known state. */
  onDelete?(object: Readonly<T>): void;
}

export interface Informer<T extends KubeObject> {
  /** Existing objects are replayed to `onAdd` first, as client-go does for late handlers. */
  addHandlers(handlers: InformerHandlers<T>): () => void;
  addIndex(index: string, fn: IndexFunc<T>): void;
  get(key: string): Readonly<T> | undefined;
  getByName(namespace: string | undefined, name: string): Readonly<T> | undefined;
  list(): Readonly<T>[];
  byIndex(index: string, value: string): Readonly<T>[];
  hasSynced(): boolean;
  /** Resolves after the first complete list has been delivered (or when `signal` aborts). */
  waitForSync(signal?: AbortSignal): Promise<void>;
  /** Runs until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock?: Clock;
  /** Deep-freeze cached objects so a handler that mutates one fails loudly (tests turn this on). */
  freeze?: boolean;
  onError?(err: unknown): void;
}

/** client-go reflector: backoff 800 ms doubling to 30 s between failed list/watch attempts. */
const initialBackoffMs = 800;
const maxBackoffMs = 30_000;

export function createInformer<T extends KubeObject>(
  client: ResourceClient<T>,
  options: InformerOptions = {},
): Informer<T> {
  const clock = options.clock ?? realClock;
  const cache: Cache<T> = createCache<T>();
  const handlers = new Set<InformerHandlers<T>>();
  const onError = options.onError ?? ((err: unknown) => console.error('informer:', err));
  let synced = false;
  const syncWaiters: Array<() => void> = [];
  const selectors = {
    namespace: options.namespace,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
  };

  function store(object: T): Readonly<T> {
    return options.freeze ? deepFreeze(object) : object;
  }
  function upsert(object: T) {
    const stored = store(object);
    const old = cache.set(stored);
    for (const h of handlers) {
      if (old) h.onUpdate?.(old, stored);
      else h.onAdd?.(stored);
    }
  }
  function remove(object: T) {
    const old = cache.delete(keyOf(object));
    const last = store(object);
    if (old) for (const h of handlers) h.onDelete?.(last);
  }
  /** Replace the cache with a fresh list, reporting only what differs. */
  function replace(items: T[]) {
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      const old = cache.get(key);
      if (!old || old.metadata.resourceVersion !== item.metadata.resourceVersion) upsert(item);
    }
    for (const key of cache.keys()) {
      const old = cache.get(key);
      if (old && !seen.has(key)) remove(old as T);
    }
    if (!synced) {
      synced = true;
      for (const w of syncWaiters.splice(0)) w();
    }
  }

  async function listAndWatch(signal: AbortSignal, onListed: () => void) {
    const list = await client.list(withoutUndefined(selectors));
    replace(list.items);
    onListed();
    let resourceVersion = list.metadata.resourceVersion;
    while (!signal.aborted) {
      // client-go picks a random 5–10 min timeout so many watchers do not all reconnect at once.
      const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
      const events = client.watch({
        ...withoutUndefined(selectors),
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds,
        signal,
      });
      for await (const event of events) {
        resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
        if (event.type === 'ADDED' || event.type === 'MODIFIED') upsert(event.object);
        else if (event.type === 'DELETED') remove(event.object);
      }
    }
  }

  return {
    addHandlers(h) {
      handlers.add(h);
      for (const o of cache.list()) h.onAdd?.(o);
      return () => handlers.delete(h);
    },
    addIndex: (index, fn) => cache.addIndex(index, fn),
    get: (key) => cache.get(key),
    getByName: (namespace, name) => cache.get(namespace ? `${namespace}/${name}` : name),
    list: () => cache.list(),
    byIndex: (index, value) => cache.byIndex(index, value),
    hasSynced: () => synced,
    waitForSync(signal) {
      if (synced || signal?.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        syncWaiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    },
    async run(signal) {
      let backoff = initialBackoffMs;
      while (!signal.aborted) {
        try {
          await listAndWatch(signal, () => {
            backoff = initialBackoffMs;
          });
        } catch (err) {
          if (signal.aborted) break;
          if (isStatusError(err) && err.code === 410) continue;
          onError(err);
          await clock.sleep(backoff, signal);
          backoff = Math.min(backoff * 2, maxBackoffMs);
        }
      }
    },
  };
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
