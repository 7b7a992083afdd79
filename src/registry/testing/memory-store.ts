/**
 * A small in-memory Store for registry tests: full history kept in an array, so reads at past
 * revisions and watches from any retained revision work as the Store contract says. Not fast, not
 * durable; the embedded backend replaces it outside tests.
 */
import type {
  KeyValue,
  ListOptions,
  ListResult,
  Store,
  StoreEvent,
  WatchBatch,
  WatchOptions,
} from '../../storage/types.ts';
import { StorageError } from '../../storage/types.ts';

interface Watcher {
  prefix: string;
  push(batch: WatchBatch): void;
}

export interface MemoryStore extends Store {
  /** Ends every open watch with WatcherTooSlow, as a real backend does for a lagging watcher. */
  dropWatchers(): void;
}

export function createMemoryStore(): MemoryStore {
  let revision = 1;
  let compacted = 0;
  const live = new Map<string, KeyValue>();
  const history: StoreEvent[] = [];
  const watchers = new Set<Watcher & { fail(err: Error): void }>();

  function stateAt(atRevision: number): Map<string, KeyValue> {
    if (atRevision < compacted) throw new StorageError('TooOld', '', undefined, undefined, compacted);
    if (atRevision > revision) throw new StorageError('FutureRevision', '');
    if (atRevision === revision) return live;
    const state = new Map<string, KeyValue>();
    for (const e of history) {
      if (e.kv.modRevision > atRevision) break;
      if (e.type === 'put') state.set(e.kv.key, e.kv);
      else state.delete(e.kv.key);
    }
    return state;
  }

  function commit(event: StoreEvent): KeyValue {
    history.push(event);
    if (event.type === 'put') live.set(event.kv.key, event.kv);
    else live.delete(event.kv.key);
    for (const w of watchers) {
      if (event.kv.key.startsWith(w.prefix)) w.push({ events: [event], revision });
    }
    return event.kv;
  }

  function existing(key: string, expectModRevision?: number): KeyValue {
    const kv = live.get(key);
    if (!kv) throw new StorageError('NotFound', key);
    if (expectModRevision !== undefined && kv.modRevision !== expectModRevision) {
      throw new StorageError('Conflict', key, undefined, kv);
    }
    return kv;
  }

  return {
    backend: 'embedded',
    currentRevision: async () => revision,
    async get(key, atRevision) {
      const at = atRevision ?? revision;
      const kv = stateAt(at).get(key);
      return kv ? { revision: at, kv } : { revision: at };
    },
    async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
      const at = options.atRevision ?? revision;
      const keys = [...stateAt(at).entries()].filter(
        ([k]) => k.startsWith(prefix) && (!options.after || k > options.after),
      );
      keys.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const limit = options.limit && options.limit > 0 ? options.limit : keys.length;
      const page = keys.slice(0, limit).map(([, kv]) => kv);
      return { revision: at, kvs: page, more: keys.length > limit, remaining: keys.length - page.length };
    },
    async count(prefix) {
      return [...live.keys()].filter((k) => k.startsWith(prefix)).length;
    },
    async create(key, value) {
      if (live.has(key)) throw new StorageError('AlreadyExists', key);
      revision++;
      return commit({ type: 'put', kv: { key, value, createRevision: revision, modRevision: revision, version: 1 } });
    },
    async update(key, value, expectModRevision) {
      const prev = existing(key, expectModRevision);
      revision++;
      const kv = { key, value, createRevision: prev.createRevision, modRevision: revision, version: prev.version + 1 };
      return commit({ type: 'put', kv, prev });
    },
    async delete(key, expectModRevision) {
      const prev = existing(key, expectModRevision);
      revision++;
      return commit({ type: 'delete', kv: { ...prev, modRevision: revision }, prev });
    },
    watch(prefix: string, afterRevision: number, options: WatchOptions): AsyncIterable<WatchBatch> {
      return watchFrom(prefix, afterRevision, options);
    },
    async compact(at) {
      compacted = Math.max(compacted, at);
    },
    compactedRevision: async () => compacted,
    async close() {
      for (const w of watchers) w.fail(new StorageError('Unavailable', w.prefix));
    },
    dropWatchers() {
      for (const w of watchers) w.fail(new StorageError('WatcherTooSlow', w.prefix));
    },
  };

  async function* watchFrom(prefix: string, afterRevision: number, options: WatchOptions): AsyncGenerator<WatchBatch> {
    if (afterRevision < compacted) throw new StorageError('TooOld', prefix, undefined, undefined, compacted);
    const queue: WatchBatch[] = [];
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    // Subscribe before replaying history so that no write between the two is lost.
    const watcher = {
      prefix,
      push: (b: WatchBatch) => {
        queue.push(b);
        notify();
      },
      fail: (err: Error) => {
        failure = err;
        notify();
      },
    };
    watchers.add(watcher);
    const replay = history.filter((e) => e.kv.modRevision > afterRevision && e.kv.key.startsWith(prefix));
    const queued = new Set(queue.flatMap((b) => b.events));
    for (const e of replay.reverse()) if (!queued.has(e)) queue.unshift({ events: [e], revision: e.kv.modRevision });
    const timer = setInterval(() => {
      if (queue.length === 0) watcher.push({ events: [], revision });
    }, options.progressIntervalMs ?? 1000);
    options.signal.addEventListener('abort', notify);
    try {
      while (!options.signal.aborted) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      clearInterval(timer);
      watchers.delete(watcher);
      options.signal.removeEventListener('abort', notify);
    }
  }
}
