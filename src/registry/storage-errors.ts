/**
 * The registry's one boundary between StorageError and Status (STYLE §4). Storage never knows HTTP codes;
 * everything above the registry sees only StatusError.
 */
import type { GroupResource } from '../status.ts';
import {
  alreadyExists,
  conflict,
  expired,
  internalError,
  isStatusError,
  notFound,
  type StatusError,
  serviceUnavailable,
} from '../status.ts';
import { isStorageError } from '../storage/types.ts';

export function interpretStorageError(err: unknown, gr: GroupResource, name: string): StatusError {
  if (isStatusError(err)) return err;
  if (!isStorageError(err)) return internalError(err);
  switch (err.reason) {
    case 'NotFound':
      return notFound(gr, name);
    case 'AlreadyExists':
      return alreadyExists(gr, name);
    case 'Conflict':
      return conflict(gr, name);
    case 'TooOld':
      return expired('The resourceVersion for the provided list is too old.');
    case 'FutureRevision':
      return serviceUnavailable('the requested resource version is newer than the store');
    case 'WatcherTooSlow':
      return expired('the watch could not keep up with changes; please re-list');
    case 'Unavailable':
      return serviceUnavailable(err.message);
  }
}

/** Rethrows anything as a StatusError (for `catch (e) { throw toStatus(e, ...) }`). */
export function rethrowAsStatus(gr: GroupResource, name: string): (err: unknown) => never {
  return (err) => {
    throw interpretStorageError(err, gr, name);
  };
}
