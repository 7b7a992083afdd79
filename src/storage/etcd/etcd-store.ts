import {
  Etcd3,
  type ICompare,
  type IKeyValue,
  type IRangeRequest,
  type ITxnRequest,
  type ITxnResponse,
  type Namespace,
} from 'etcd3';
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
import { WatchHub } from './watch-hub.ts';
import { watchFrom } from './watch-iterable.ts';

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
/** A key no Store key maps to (Store keys start with `/`): target of count-only revision reads. */
const probeKey = Buffer.from([0]);

/**
 * The Store on etcd v3 (DESIGN.md, Storage): revision = etcd's revision, create/update/delete are
 * compare-and-swap transactions on create_revision/mod_revision, as kube-apiserver's etcd3 store does.
 */
export async function createEtcdStore(options: EtcdStoreOptions): Promise<Store> {
  const client = new Etcd3({
    hosts: options.endpoints,
    // Lists of many objects exceed gRPC's default 4 MiB receive limit (10,000 2 KiB objects are ~21 MB);
    // etcd itself sends up to its --max-request-bytes-sized responses, so accept large answers.
    grpcOptions: { 'grpc.max_receive_message_length': 512 * 1024 * 1024 },
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeoutMs }),
  });
  try {
    return new EtcdStore(client, options, await readRevision(client));
  } catch (err) {
    client.close();
    throw toStorageError(err, '');
  }
}

class EtcdStore implements Store {
  readonly backend = 'etcd';
  private readonly keys: KeySpace;
  private readonly hub: WatchHub;
  /** The highest compaction point seen: our own compactions, etcd's watch cancellations, probes. */
  private knownCompacted = 0;

  constructor(
    private readonly client: Etcd3,
    options: EtcdStoreOptions,
    startRevision: number,
  ) {
    this.keys = new KeySpace(options.prefix);
    this.hub = new WatchHub({
      client,
      keys: this.keys,
      revision: startRevision,
      windowEvents: options.watchWindowEvents ?? 5_000,
      watcherBufferEvents: options.watcherBufferEvents ?? 10_000,
      onCompacted: (revision) => this.noteCompacted(revision),
    });
  }

  currentRevision(): Promise<number> {
    return this.call('', () => readRevision(this.client));
  }

  async get(key: string, atRevision?: number): Promise<{ revision: number; kv?: KeyValue }> {
    const request = { key: this.keys.toEtcd(key), revision: atRevision ?? 0 };
    const response = await this.call(key, () => this.client.kv.range(request));
    const found = response.kvs[0];
    const revision = atRevision ?? Number(response.header.revision);
    return found ? { revision, kv: this.keys.toKeyValue(found) } : { revision };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const whole = this.keys.rangeOf(prefix);
    const start = options.after === undefined ? whole.key : keyAfter(this.keys.toEtcd(options.after));
    const from = Buffer.compare(start, whole.key) > 0 ? start : whole.key;
    // `after` may lie past the prefix's subtree; etcd would read a reversed range as "to the end".
    const isEmpty = !isBefore(from, whole.rangeEnd);
    const request: IRangeRequest = { key: from, range_end: whole.rangeEnd, revision: options.atRevision ?? 0 };
    if (options.limit !== undefined && options.limit > 0) request.limit = options.limit;
    if (isEmpty) request.count_only = true;
    const response = await this.call(prefix, () => this.client.kv.range(request));
    const revision = options.atRevision ?? Number(response.header.revision);
    if (isEmpty) return { revision, kvs: [], more: false, remaining: 0 };
    const kvs = response.kvs.map((kv) => this.keys.toKeyValue(kv));
    return { revision, kvs, more: response.more, remaining: Number(response.count) - kvs.length };
  }

  async count(prefix: string): Promise<number> {
    const whole = this.keys.rangeOf(prefix);
    const request = { key: whole.key, range_end: whole.rangeEnd, count_only: true };
    const response = await this.call(prefix, () => this.client.kv.range(request));
    return Number(response.count);
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    const etcdKey = this.keys.toEtcd(key);
    const response = await this.txn(key, {
      compare: [{ key: etcdKey, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: etcdKey, value: toBuffer(value) } }],
    });
    if (!response.succeeded) throw new StorageError('AlreadyExists', key);
    const revision = Number(response.header.revision);
    return { key, value, createRevision: revision, modRevision: revision, version: 1 };
  }

  async update(key: string, value: Uint8Array, expectModRevision: number): Promise<KeyValue> {
    const etcdKey = this.keys.toEtcd(key);
    const response = await this.txn(key, {
      compare: [exists(etcdKey), { key: etcdKey, target: 'Mod', result: 'Equal', mod_revision: expectModRevision }],
      success: [{ request_put: { key: etcdKey, value: toBuffer(value), prev_kv: true } }],
      failure: [{ request_range: { key: etcdKey } }],
    });
    if (!response.succeeded) throw failedCompare(this.keys, key, response);
    const prev = response.responses[0]?.response_put?.prev_kv;
    const revision = Number(response.header.revision);
    return {
      key,
      value,
      createRevision: prev ? Number(prev.create_revision) : revision,
      modRevision: revision,
      version: prev ? Number(prev.version) + 1 : 1,
    };
  }

  async delete(key: string, expectModRevision?: number): Promise<KeyValue> {
    const etcdKey = this.keys.toEtcd(key);
    const compare: ICompare[] = [exists(etcdKey)];
    if (expectModRevision !== undefined) {
      compare.push({ key: etcdKey, target: 'Mod', result: 'Equal', mod_revision: expectModRevision });
    }
    const response = await this.txn(key, {
      compare,
      success: [{ request_delete_range: { key: etcdKey, prev_kv: true } }],
      failure: [{ request_range: { key: etcdKey } }],
    });
    if (!response.succeeded) throw failedCompare(this.keys, key, response);
    const prev = response.responses[0]?.response_delete_range?.prev_kvs[0];
    return deletedPair(this.keys, etcdKey, Number(response.header.revision), prev);
  }

  watch(prefix: string, afterRevision: number, options: WatchOptions): AsyncIterable<WatchBatch> {
    return watchFrom(this.hub, prefix, afterRevision, options, () => this.knownCompacted);
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.client.kv.compact({ revision, physical: true });
    } catch (err) {
      // Compacting to a revision at or before the current point changes nothing.
      if (!isCompactedError(err)) throw toStorageError(err, '');
    }
    this.noteCompacted(revision);
  }

  compactedRevision(): Promise<number> {
    return this.call('', () => this.findCompacted());
  }

  async close(): Promise<void> {
    this.hub.close();
    this.client.close();
  }

  private noteCompacted(revision: number): void {
    if (revision > this.knownCompacted) this.knownCompacted = revision;
  }

  /** Probes etcd, since another wharf server may have compacted since we last looked. */
  private async findCompacted(): Promise<number> {
    const current = await readRevision(this.client);
    const isReadable = async (revision: number): Promise<boolean> => {
      try {
        await this.client.kv.range({ key: probeKey, revision, count_only: true });
        return true;
      } catch (err) {
        if (isCompactedError(err)) return false;
        throw err;
      }
    };
    const found = await findCompactedRevision(isReadable, this.knownCompacted, current);
    this.noteCompacted(found);
    return found;
  }

  private txn(key: string, request: ITxnRequest): Promise<ITxnResponse> {
    return this.call(key, () => this.client.kv.txn(request));
  }

  /** Runs an etcd call, mapping failures; a TooOld error carries the compaction point. */
  private async call<T>(key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!isCompactedError(err)) throw toStorageError(err, key);
      const point = await this.findCompacted().catch(() => this.knownCompacted);
      throw toStorageError(err, key, point);
    }
  }
}

/** The key exists (etcd compares an absent key's create_revision as 0). */
function exists(key: Buffer): ICompare {
  return { key, target: 'Create', result: 'Greater', create_revision: 0 };
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
