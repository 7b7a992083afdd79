/**
 * The Store: the one place cluster state lives, in the role etcd plays for Kubernetes.
 *
 * Semantics (shared by every backend and checked by store.contract.ts):
 * - One cluster-wide revision counter. Every successful write returns the new revision, which the
 *   registry turns into `metadata.resourceVersion`. Revisions strictly increase.
 * - Values are opaque bytes; the store never parses them.
 * - `watch` delivers every change after `afterRevision`, in order, without gaps or duplicates, to any
 *   number of watchers. A watcher that falls too far behind is ended with `WatcherTooSlow` rather than
 *   buffering without bound; a start revision older than the retained history fails with `TooOld`.
 *
 * Keys look like `/registry/<group or "core">/<resource>/<namespace>/<name>` (cluster-scoped kinds have no
 * namespace segment); the store only relies on them being strings whose prefixes select subtrees.
 */

export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: number;
  /** Revision of the last write to this key; for a delete event, the revision of the delete. */
  modRevision: number;
  /** Number of writes since creation (1 after create). */
  version: number;
}

export type StoreEvent =
  | { type: 'put'; kv: KeyValue; prev?: KeyValue }
  /** `kv.value` is the last value before deletion, `kv.modRevision` the revision of the delete. */
  | { type: 'delete'; kv: KeyValue; prev: KeyValue };

/**
 * What one step of a watch delivers. `events` may be empty: then the batch is a progress notice
 * saying that every change under the prefix up to `revision` has been delivered (used for bookmarks).
 * For a non-empty batch `revision` is at least the last event's modRevision.
 */
export interface WatchBatch {
  events: StoreEvent[];
  revision: number;
}

export interface ListOptions {
  /** Read at this past revision (must not be compacted). Default: the current revision. */
  atRevision?: number;
  /** At most this many keys; `more` tells whether others follow. */
  limit?: number;
  /** Exclusive start key: continue a paginated list after this key. */
  after?: string;
}

export interface ListResult {
  /** The revision the list was read at; pass it as `atRevision` to continue consistently. */
  revision: number;
  /** In ascending key order. */
  kvs: KeyValue[];
  more: boolean;
  /** Keys left after this page, when the backend knows it cheaply. */
  remaining?: number;
}

export interface WatchOptions {
  /** Ends the watch; the iterator then finishes normally. */
  signal: AbortSignal;
  /** How often an idle watch yields a progress batch. Default: backend-specific (about 1 s). */
  progressIntervalMs?: number;
}

export interface CompactionPolicy {
  /** Keep at least this many most recent revisions of history. */
  minRevisions: number;
  /** And at least this much time of history, in milliseconds. */
  minAgeMs: number;
}

export interface Store {
  readonly backend: 'embedded' | 'etcd';

  /** The latest committed revision. */
  currentRevision(): Promise<number>;

  get(key: string, atRevision?: number): Promise<{ revision: number; kv?: KeyValue }>;

  list(prefix: string, options?: ListOptions): Promise<ListResult>;

  /** Number of keys under the prefix at the current revision. */
  count(prefix: string): Promise<number>;

  /** Fails with `AlreadyExists` if the key exists. */
  create(key: string, value: Uint8Array): Promise<KeyValue>;

  /**
   * Compare-and-swap on modRevision. Fails with `Conflict` if the key's modRevision differs, and with
   * `NotFound` if it does not exist.
   */
  update(key: string, value: Uint8Array, expectModRevision: number): Promise<KeyValue>;

  /**
   * Deletes and returns the deleted pair (value = last value, modRevision = the delete's revision).
   * With `expectModRevision`, only if it still matches (`Conflict` otherwise). `NotFound` if absent.
   */
  delete(key: string, expectModRevision?: number): Promise<KeyValue>;

  /** Every change under `prefix` after `afterRevision`, in order. */
  watch(prefix: string, afterRevision: number, options: WatchOptions): AsyncIterable<WatchBatch>;

  /** Forget history before `revision`. Reads and watches from before it fail with `TooOld`. */
  compact(revision: number): Promise<void>;

  /** The oldest revision still readable (the compaction point). */
  compactedRevision(): Promise<number>;

  close(): Promise<void>;
}

export type StorageErrorReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  /** The revision asked for was compacted. */
  | 'TooOld'
  /** The revision asked for is newer than anything committed. */
  | 'FutureRevision'
  /** A watcher could not keep up and was closed; it should re-list. */
  | 'WatcherTooSlow'
  /** The backend cannot be reached or is shutting down. */
  | 'Unavailable';

export class StorageError extends Error {
  constructor(
    readonly reason: StorageErrorReason,
    readonly key: string,
    message?: string,
    /** For Conflict: the current pair, when known. For TooOld: `compactedRevision` is set. */
    readonly current?: KeyValue,
    readonly compactedRevision?: number,
  ) {
    super(message ?? `${reason}: ${key}`);
    this.name = 'StorageError';
  }
}

export function isStorageError(err: unknown, reason?: StorageErrorReason): err is StorageError {
  return err instanceof StorageError && (reason === undefined || err.reason === reason);
}
