import type { IEvent, IKeyValue } from 'etcd3';
import type { KeyValue, StoreEvent } from '../types.ts';
import type { KeySpace } from './key-space.ts';

/**
 * The pair a delete reports: the last value with the delete's revision. etcd's own delete record has
 * no value and zero create revision and version, so those come from the previous pair (etcd omits
 * it only if it was already compacted away; then the value is empty).
 */
export function deletedPair(
  keys: KeySpace,
  key: Buffer,
  deleteRevision: number,
  prev: IKeyValue | undefined,
): KeyValue {
  const before = prev ? keys.toKeyValue(prev) : undefined;
  return {
    key: keys.fromEtcd(key),
    value: before?.value ?? new Uint8Array(0),
    createRevision: before?.createRevision ?? 0,
    modRevision: deleteRevision,
    version: before?.version ?? 0,
  };
}

/** etcd watch events (requested with prev_kv) as Store events. */
export function toStoreEvents(keys: KeySpace, events: IEvent[]): StoreEvent[] {
  return events.map((event): StoreEvent => {
    const prev = event.prev_kv ? keys.toKeyValue(event.prev_kv) : undefined;
    // The proto enum arrives by name; etcd3's typings spell it `Put`/`Delete`, the wire `PUT`/`DELETE`.
    if (String(event.type).toUpperCase() === 'DELETE') {
      const kv = deletedPair(keys, event.kv.key, Number(event.kv.mod_revision), event.prev_kv ?? undefined);
      return { type: 'delete', kv, prev: prev ?? { ...kv } };
    }
    const kv = keys.toKeyValue(event.kv);
    return prev ? { type: 'put', kv, prev } : { type: 'put', kv };
  });
}
