import { Etcd3, type ICompare, type IKeyValue, type IRangeRequest, type ITxnResponse, type Namespace } from 'etcd3';
import {
  type KeyValue,
  type ListOptions,
  type ListResult,
  StorageError,
  type Store,
  type WatchBatch,
  type WatchOptions,
} from '../types.ts';
import { findCompactedRevision } from './compacted-revision.ts';
import { isCompactedError, toStorageError } from './etcd-errors.ts';
import { KeySpace, keyAfter } from './key-space.ts';
import { deletedPair } from './store-events.ts';
import { type Subscription, WatchHub } from './watch-hub.ts';

export interface EtcdStoreOptions {
  /** Client URLs of the etcd members, e.g. `['http://127.0.0.1:2379']`; the client fails over between them. */
  endpoints: string[];
  /** Prepended to every key in etcd, so several clusters can share one etcd. Default: none. */
  prefix?: string;
  /**
   * Recent events kept in memory to start watches from (values included, so this bounds memory too).
   * Informers watch from the revision of a list they just made, so a short window serves nearly all
   * watches; older starts read history from etcd. Default 5 000.
   */
  watchWindowEvents?: number;
  /** Events one watcher may fall behind before `WatcherTooSlow`. Default 10 000. */
  watcherBufferEvents?: number;
}

/** Deadline for one unary call, so a request to a member that stopped answering fails over. */
const callTimeoutMs = 10_000;
const defaultProgressIntervalMs = 1_000;
/** A key no Store key maps to (Store keys start with `/`): target of count-only revision reads. */
const probeKey = Buffer.from([0]);

/**
 * The Store on etcd v3 (DESIGN.md, Storage): revision = etcd's revision, create/update/delete are
 * compare-and-swap transactions on create_revision/mod_revision, as kube-apiserver's etcd3 store does.
 */
export async function createEtcdStore(options: EtcdStoreOptions): Promise<Store> {
  const client = new Etcd3({
    hosts: options.endpoints,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeoutMs }),
  });
  const keys = new KeySpace(options.prefix);
  let knownCompacted = 0;
  const noteCompacted = (revision: number): void => {
    if (revision > knownCompacted) knownCompacted = revision;
  };
  let startRevision: number;
  try {
    startRevision = await readRevision(client);
  } catch (err) {
    client.close();
    throw toStorageError(err, '');
  }
  const hub = new WatchHub({
    client,
    keys,
    revision: startRevision,
    windowEvents: options.watchWindowEvents ?? 5_000,
    watcherBufferEvents: options.watcherBufferEvents ?? 10_000,
    onCompacted: noteCompacted,
  });

  const compactedRevision = async (): Promise<number> => {
    const current = await readRevision(client);
    const found = await findCompactedRevision(
      async (revision) => {
        try {
          await client.kv.range({ key: probeKey, revision, count_only: true });
          return true;
        } catch (err) {
          if (isCompactedError(err)) return false;
          throw err;
        }
      },
      knownCompacted,
      current,
    );
    noteCompacted(found);
    return found;
  };

  /** Runs an etcd call, mapping failures; a TooOld error carries the compaction point. */
  const call = async <T>(key: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (isCompactedError(err)) {
        const point = await compactedRevision().catch(() => knownCompacted);
        throw toStorageError(err, key, point);
      }
      throw toStorageError(err, key);
    }
  };

  const range = (key: string, request: IRangeRequest) => call(key, () => client.kv.range(request));
  const txn = (key: string, run: () => Promise<ITxnResponse>) => call(key, run);

  const store: Store = {
    backend: 'etcd',

    currentRevision: () => call('', () => readRevision(client)),

    async get(key, atRevision) {
      const response = await range(key, { key: keys.toEtcd(key), revision: atRevision ?? 0 });
      const found = response.kvs[0];
      const revision = atRevision ?? Number(response.header.revision);
      return found ? { revision, kv: keys.toKeyValue(found) } : { revision };
    },

    async list(prefix: string, listOptions: ListOptions = {}): Promise<ListResult> {
      const whole = keys.rangeOf(prefix);
      const start = listOptions.after === undefined ? whole.key : keyAfter(keys.toEtcd(listOptions.after));
      const from = Buffer.compare(start, whole.key) > 0 ? start : whole.key;
      // `after` may lie past the prefix's subtree; etcd would read a reversed range as "to the end".
      const isEmpty = !isBefore(from, whole.rangeEnd);
      const request: IRangeRequest = { key: from, range_end: whole.rangeEnd, revision: listOptions.atRevision ?? 0 };
      if (listOptions.limit !== undefined && listOptions.limit > 0) request.limit = listOptions.limit;
      if (isEmpty) request.count_only = true;
      const response = await range(prefix, request);
      const revision = listOptions.atRevision ?? Number(response.header.revision);
      if (isEmpty) return { revision, kvs: [], more: false, remaining: 0 };
      const kvs = response.kvs.map((kv) => keys.toKeyValue(kv));
      return { revision, kvs, more: response.more, remaining: Number(response.count) - kvs.length };
    },

    async count(prefix) {
      const whole = keys.rangeOf(prefix);
      const response = await range(prefix, { key: whole.key, range_end: whole.rangeEnd, count_only: true });
      return Number(response.count);
    },

    async create(key, value) {
      const etcdKey = keys.toEtcd(key);
      const response = await txn(key, () =>
        client.kv.txn({
          compare: [{ key: etcdKey, target: 'Create', result: 'Equal', create_revision: 0 }],
          success: [{ request_put: { key: etcdKey, value: toBuffer(value) } }],
        }),
      );
      if (!response.succeeded) throw new StorageError('AlreadyExists', key);
      const revision = Number(response.header.revision);
      return { key, value, createRevision: revision, modRevision: revision, version: 1 };
    },

    async update(key, value, expectModRevision) {
      const etcdKey = keys.toEtcd(key);
      const response = await txn(key, () =>
        client.kv.txn({
          compare: [
            { key: etcdKey, target: 'Create', result: 'Greater', create_revision: 0 },
            { key: etcdKey, target: 'Mod', result: 'Equal', mod_revision: expectModRevision },
          ],
          success: [{ request_put: { key: etcdKey, value: toBuffer(value), prev_kv: true } }],
          failure: [{ request_range: { key: etcdKey } }],
        }),
      );
      if (!response.succeeded) throw failedCompare(keys, key, response);
      const prev = response.responses[0]?.response_put?.prev_kv;
      const revision = Number(response.header.revision);
      return {
        key,
        value,
        createRevision: prev ? Number(prev.create_revision) : revision,
        modRevision: revision,
        version: prev ? Number(prev.version) + 1 : 1,
      };
    },

    async delete(key, expectModRevision) {
      const etcdKey = keys.toEtcd(key);
      const compare: ICompare[] = [{ key: etcdKey, target: 'Create', result: 'Greater', create_revision: 0 }];
      if (expectModRevision !== undefined) {
        compare.push({ key: etcdKey, target: 'Mod', result: 'Equal', mod_revision: expectModRevision });
      }
      const response = await txn(key, () =>
        client.kv.txn({
          compare,
          success: [{ request_delete_range: { key: etcdKey, prev_kv: true } }],
          failure: [{ request_range: { key: etcdKey } }],
        }),
      );
      if (!response.succeeded) throw failedCompare(keys, key, response);
      const prev = response.responses[0]?.response_delete_range?.prev_kvs[0];
      return deletedPair(keys, etcdKey, Number(response.header.revision), prev);
    },

    watch(prefix: string, afterRevision: number, watchOptions: WatchOptions): AsyncIterable<WatchBatch> {
      return watchFrom(hub, prefix, afterRevision, watchOptions, () => knownCompacted);
    },

    async compact(revision) {
      try {
        await client.kv.compact({ revision, physical: true });
      } catch (err) {
        // Compacting to a revision at or before the current point changes nothing.
        if (!isCompactedError(err)) throw toStorageError(err, '');
      }
      noteCompacted(revision);
    },

    compactedRevision: () => call('', compactedRevision),

    async close() {
      hub.close();
      client.close();
    },
  };
  return store;
}

/** `key` < `end`, where an `end` of `\0` means past every key. */
function isBefore(key: Buffer, end: Buffer): boolean {
  return (end.length === 1 && end[0] === 0) || Buffer.compare(key, end) < 0;
}

/** A Buffer view of the caller's bytes, without copying. */
function toBuffer(value: Uint8Array): Buffer {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

async function readRevision(client: Namespace): Promise<number> {
  const response = await client.kv.range({ key: probeKey, count_only: true });
  return Number(response.header.revision);
}

/** After a failed compare: NotFound if the key is gone, else Conflict with the current pair. */
function failedCompare(keys: KeySpace, key: string, response: ITxnResponse): StorageError {
  const current: IKeyValue | undefined = response.responses[0]?.response_range?.kvs[0];
  if (!current) return new StorageError('NotFound', key);
  const pair: KeyValue = keys.toKeyValue(current);
  return new StorageError('Conflict', key, `Conflict: ${key} was modified (now at ${pair.modRevision})`, pair);
}

/**
 * Subscribes at once, not at the first `next()`: the watch covers every change after `afterRevision`
 * from the moment it is asked for, and a consumer that never reads is still bounded by its buffer.
 */
function watchFrom(
  hub: WatchHub,
  prefix: string,
  afterRevision: number,
  options: WatchOptions,
  compactedRevision: () => number,
): AsyncIterable<WatchBatch> {
  const { signal } = options;
  let subscription: Subscription | undefined;
  let failure: unknown;
  const onAbort = (): void => subscription?.close();
  if (!signal.aborted) {
    try {
      subscription = hub.subscribe(prefix, afterRevision, compactedRevision());
      signal.addEventListener('abort', onAbort, { once: true });
    } catch (err) {
      failure = err;
    }
  }
  const idleMs = options.progressIntervalMs ?? defaultProgressIntervalMs;
  async function* batches(): AsyncGenerator<WatchBatch> {
    if (failure !== undefined) throw failure;
    if (!subscription) return;
    try {
      for (;;) {
        const taken = await subscription.queue.take(idleMs, signal);
        if (taken.kind === 'end') return;
        if (taken.kind === 'batch') yield taken.batch;
        else yield { events: [], revision: Math.max(afterRevision, subscription.progressRevision()) };
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      subscription.close();
    }
  }
  return batches();
}
