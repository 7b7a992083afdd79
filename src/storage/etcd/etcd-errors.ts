import { StorageError } from '../types.ts';

// etcd's gRPC error texts (server/etcdserver/api/v3rpc/rpctypes): the status code alone does not
// tell a compacted revision from a future one (both are OutOfRange).
const compactedText = 'required revision has been compacted';
const futureText = 'required revision is a future revision';

export const isCompactedError = (err: unknown): boolean => err instanceof Error && err.message.includes(compactedText);
export const isFutureRevisionError = (err: unknown): boolean =>
  err instanceof Error && err.message.includes(futureText);

/** Errors that mean a bug in our code rather than trouble reaching etcd: let them through as they are. */
const isProgrammingError = (err: unknown): boolean =>
  err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError || err instanceof ReferenceError;

/**
 * Maps an etcd client failure to the Store's closed set of reasons. Everything that is not a revision
 * problem means etcd could not be reached or could not serve the request right now (connection refused,
 * no leader, leader changed, timeouts, closed client): `Unavailable`, which the registry turns into a
 * retryable error.
 */
export function toStorageError(err: unknown, key: string, compactedRevision?: number): unknown {
  if (err instanceof StorageError || isProgrammingError(err)) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if (isCompactedError(err)) {
    return new StorageError(
      'TooOld',
      key,
      `required revision has been compacted: ${key}`,
      undefined,
      compactedRevision,
    );
  }
  if (isFutureRevisionError(err))
    return new StorageError('FutureRevision', key, `required revision is a future revision: ${key}`);
  return new StorageError('Unavailable', key, `etcd unavailable: ${detail}`);
}
