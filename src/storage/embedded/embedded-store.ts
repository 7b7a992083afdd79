/**
 * The default Store: durable on local disk through lmdb, served from memory.
 *
 * Every write is validated and given its revision synchronously, so revision order is the order writes
 * are issued, which is also lmdb's commit order; lmdb batches the writes of one event turn into one
 * commit. A write is visible to reads and watches only once lmdb reports it committed (or flushed,
 * with durability 'flush'), and its promise resolves only then: nothing anyone saw can be lost when
 * the process dies.
 *
 * History (for list continuation, get at a revision, and watch replay) lives only in memory; after a
 * restart the compaction point is the recovered revision, so older watches get TooOld and re-list.
 */
import {
  type CompactionPolicy,
  type KeyValue,
  type ListOptions,
  type ListResult,
  StorageError,
  type Store,
  type StoreEvent,
  type WatchBatch,
  type WatchOptions,
} from '../types.ts';
import { compactionTarget, defaultCompactionPolicy, scheduleCompaction } from './compaction.ts';
import { type DurabilityLevel, openDurableFile } from './durable-file.ts';
import { EventLog } from './event-log.ts';
import { MvccIndex } from './mvcc-index.ts';
import { recordOf } from './record-codec.ts';
import { WatchHub } from './watch-hub.ts';

export interface EmbeddedStoreOptions {
  dataDir: string;
  compaction?: CompactionPolicy;
  /** How many events a watcher may fall behind before it is closed with WatcherTooSlow. */
  watcherBufferLimit?: number;
  /** When a write's promise resolves; default 'flush' (after the fsync), see DurabilityLevel. */
  durability?: DurabilityLevel;
  /** How often the compaction policy is applied. Default 1000 ms. */
  compactionIntervalMs?: number;
}

const defaultWatcherBufferLimit = 10_000;

export async function createEmbeddedStore(options: EmbeddedStoreOptions): Promise<Store> {
  const file = openDurableFile(options.dataDir, options.durability);
  const recovered = file.recover();
  const index = new MvccIndex();
  for (const kv of recovered.kvs) index.put(kv);
  const policy = options.compaction ?? defaultCompactionPolicy;

  let issued = recovered.revision;
  let committed = recovered.revision;
  let compacted = recovered.revision;
  let isClosed = false;
  let failure: unknown;
  const log = new EventLog(recovered.revision);
  const hub = new WatchHub(
    {
      log,
      committedRevision: () => committed,
      compactedRevision: () => compacted,
      isClosed: () => isClosed,
    },
    options.watcherBufferLimit ?? defaultWatcherBufferLimit,
  );

  const assertWritable = (key: string) => {
    if (isClosed) throw new StorageError('Unavailable', key, 'store is closed');
    if (failure !== undefined) throw new StorageError('Unavailable', key, `store failed: ${String(failure)}`);
  };

  /**
   * The writes lmdb is committing together: `durable` is the promise they share (see DurableFile.put),
   * `revision` the newest of them. Visibility, watch wake-ups and waiter release happen once per batch,
   * not once per write: with 50 writers a batch holds 50 writes, and this work sits between two commits.
   */
  interface Batch {
    durable: Promise<void>;
    revision: number;
    settled: boolean;
  }
  let batch: Batch | undefined;
  const inFlight = new Set<Promise<void>>();

  const startBatch = (durable: Promise<void>, revision: number): Batch => {
    const started: Batch = { durable, revision, settled: false };
    const settled = durable.then(
      () => {
        started.settled = true;
        inFlight.delete(settled);
        if (started.revision > committed) {
          committed = started.revision;
          hub.notify();
          releaseCommitWaiters();
        }
      },
      (err: unknown) => {
        started.settled = true;
        inFlight.delete(settled);
        // The index already holds the writes; memory and disk disagree now, so stop taking writes.
        failure = err;
        releaseCommitWaiters();
      },
    );
    inFlight.add(settled);
    return started;
  };

  /**
   * Resolves when the write of `revision` is durable and visible. The batch's handler runs first (it was
   * registered on the shared promise before any of its writes awaited it), so a caller that gets its
   * result can already read it.
   */
  const commit = async (revision: number, durable: Promise<void>, key: string): Promise<void> => {
    if (batch !== undefined && batch.durable === durable && !batch.settled) batch.revision = revision;
    else batch = startBatch(durable, revision);
    try {
      await durable;
    } catch (err) {
      throw new StorageError('Unavailable', key, `write failed: ${String(err)}`);
    }
  };

  // Waiters for a revision to become visible; only failed writes wait, so a plain array is enough.
  let commitWaiters: { revision: number; resolve: () => void }[] = [];
  const releaseCommitWaiters = () => {
    if (commitWaiters.length === 0) return;
    const ready = commitWaiters.filter((w) => w.revision <= committed || failure !== undefined || isClosed);
    commitWaiters = commitWaiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  };

  /**
   * Rejects a write, but only once every write issued before it is visible: a failure decided by a
   * write still in flight (AlreadyExists from a pending create, say) must not be observable before that
   * write is, or a client could get AlreadyExists and then NotFound on the next read.
   */
  const reject = async (error: StorageError): Promise<never> => {
    const revision = issued;
    if (committed < revision && failure === undefined && !isClosed)
      await new Promise<void>((resolve) => commitWaiters.push({ revision, resolve }));
    throw error;
  };

  const logEvent = (event: StoreEvent) => {
    log.append(event, Date.now());
  };

  const checkReadable = (key: string, revision: number) => {
    if (revision < compacted)
      throw new StorageError('TooOld', key, `revision ${revision} has been compacted`, undefined, compacted);
    if (revision > committed)
      throw new StorageError('FutureRevision', key, `revision ${revision} is newer than ${committed}`);
  };

  const compact = (revision: number) => {
    if (revision <= compacted) return;
    compacted = revision;
    const touched = new Set<string>();
    for (const event of log.dropThrough(revision)) touched.add(event.kv.key);
    for (const key of touched) index.prune(key, revision);
  };

  const stopCompaction = scheduleCompaction(options.compactionIntervalMs ?? 1000, () => {
    const target = compactionTarget(policy, log, committed, Date.now());
    if (target !== undefined) compact(target);
  });

  const store: Store = {
    backend: 'embedded',

    currentRevision: async () => committed,

    async get(key, atRevision) {
      const revision = atRevision ?? committed;
      checkReadable(key, revision);
      return { revision, kv: index.readAt(key, revision) };
    },

    async list(prefix: string, listOptions: ListOptions = {}): Promise<ListResult> {
      const revision = listOptions.atRevision ?? committed;
      checkReadable(prefix, revision);
      const { kvs, more } = index.list(prefix, revision, listOptions.after, listOptions.limit);
      return { revision, kvs, more };
    },

    count: async (prefix) => index.count(prefix, committed),

    async create(key, value) {
      assertWritable(key);
      const existing = index.latest(key);
      if (existing !== undefined) return reject(new StorageError('AlreadyExists', key, undefined, existing));
      const revision = ++issued;
      // The one copy of the caller's bytes: the kept value is a view of the record written to disk.
      const { record, kv } = recordOf(key, value, revision, revision, 1);
      index.put(kv);
      logEvent({ type: 'put', kv });
      await commit(revision, file.put(key, record), key);
      return kv;
    },

    async update(key, value, expectModRevision) {
      assertWritable(key);
      const current = index.latest(key);
      if (current === undefined) return reject(new StorageError('NotFound', key));
      if (current.modRevision !== expectModRevision)
        return reject(new StorageError('Conflict', key, undefined, current));
      const revision = ++issued;
      const { record, kv } = recordOf(key, value, current.createRevision, revision, current.version + 1);
      index.put(kv);
      logEvent({ type: 'put', kv, prev: current });
      await commit(revision, file.put(key, record), key);
      return kv;
    },

    async delete(key, expectModRevision) {
      assertWritable(key);
      const current = index.latest(key);
      if (current === undefined) return reject(new StorageError('NotFound', key));
      if (expectModRevision !== undefined && current.modRevision !== expectModRevision)
        return reject(new StorageError('Conflict', key, undefined, current));
      const revision = ++issued;
      const kv: KeyValue = { ...current, modRevision: revision };
      index.delete(key, revision);
      logEvent({ type: 'delete', kv, prev: current });
      await commit(revision, file.remove(key, revision), key);
      return kv;
    },

    watch(prefix: string, afterRevision: number, watchOptions: WatchOptions): AsyncIterable<WatchBatch> {
      return hub.watch(prefix, afterRevision, watchOptions);
    },

    async compact(revision) {
      if (revision > committed)
        throw new StorageError('FutureRevision', '', `cannot compact to ${revision}, newer than ${committed}`);
      compact(revision);
    },

    compactedRevision: async () => compacted,

    async close() {
      if (isClosed) return;
      isClosed = true;
      stopCompaction();
      hub.notify();
      releaseCommitWaiters();
      await Promise.allSettled([...inFlight]);
      await file.close();
    },
  };
  return store;
}
