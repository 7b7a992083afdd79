/**
 * Read-modify-write on a Store with optimistic concurrency, the way the Kubernetes registry's
 * GuaranteedUpdate works: read, let the caller compute the new value, compare-and-swap on the
 * modRevision it read, and on a conflict start over from the fresh value.
 */
import { isStorageError, type KeyValue, StorageError, type Store } from './types.ts';

export type Mutation = (current: KeyValue | undefined) => Uint8Array | undefined | Promise<Uint8Array | undefined>;

export interface GuaranteedUpdateOptions {
  /**
   * A recent copy of the pair (say, from a cache) to try first instead of reading; if it is stale the
   * swap fails and the loop reads the real one, so a wrong guess costs one round trip, not correctness.
   */
  suggestion?: KeyValue;
  /** Give up with the last Conflict after this many attempts. Default 100. */
  maxAttempts?: number;
}

/**
 * Applies `mutate` until it lands on an unchanged key. `mutate` gets the current pair (undefined when the
 * key does not exist) and returns the new value, or undefined to write nothing; it may throw to abort
 * (for example when a precondition fails), and may be called more than once.
 * Writing to an absent key creates it. Resolves with the pair as it stands afterwards.
 */
export async function guaranteedUpdate(
  store: Store,
  key: string,
  mutate: Mutation,
  options: GuaranteedUpdateOptions = {},
): Promise<KeyValue | undefined> {
  const maxAttempts = options.maxAttempts ?? 100;
  let current = options.suggestion ?? (await store.get(key)).kv;
  let isFresh = options.suggestion === undefined;
  for (let attempt = 1; ; attempt++) {
    const value = await mutate(current);
    if (value === undefined) {
      if (isFresh) return current;
      // Nothing to write on a guess: confirm against the store before reporting it as the state.
      current = (await store.get(key)).kv;
      isFresh = true;
      continue;
    }
    try {
      return current === undefined
        ? await store.create(key, value)
        : await store.update(key, value, current.modRevision);
    } catch (err) {
      const isRace =
        isStorageError(err, 'Conflict') || isStorageError(err, 'AlreadyExists') || isStorageError(err, 'NotFound');
      if (!isRace || attempt >= maxAttempts) throw err;
      current = isStorageError(err) && err.current ? err.current : (await store.get(key)).kv;
      isFresh = true;
    }
  }
}

/**
 * Deletes `key` once `check` accepts the current pair (it throws to refuse, e.g. on a uid or
 * resourceVersion precondition that lives inside the value). Retries when the key changes between the
 * check and the delete. Resolves with the deleted pair; NotFound when the key is absent.
 */
export async function deleteWithPrecondition(
  store: Store,
  key: string,
  check: (current: KeyValue) => void | Promise<void>,
  options: { maxAttempts?: number } = {},
): Promise<KeyValue> {
  const maxAttempts = options.maxAttempts ?? 100;
  for (let attempt = 1; ; attempt++) {
    const { kv } = await store.get(key);
    if (kv === undefined) throw new StorageError('NotFound', key);
    await check(kv);
    try {
      return await store.delete(key, kv.modRevision);
    } catch (err) {
      if (!isStorageError(err, 'Conflict') || attempt >= maxAttempts) throw err;
    }
  }
}
