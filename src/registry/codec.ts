/**
 * Stored values: the object's JSON with `metadata.resourceVersion` left out (the store's modRevision is
 * the truth; writing it into the bytes would make every value stale the moment it is written), keys in
 * the order real servers print them: kind, apiVersion, metadata, then the rest.
 *
 * Decoding is cached: objects returned by `decode` are deep-frozen and shared by every reader (lists,
 * watchers, gets) — callers must not mutate them; clone with `structuredClone` to change one.
 */
import { copyValue } from '../copy-value.ts';
import type { KeyValue } from '../storage/types.ts';
import type { KubeObject } from '../types/meta.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeObject(object: KubeObject): Uint8Array {
  const { resourceVersion: _omitted, ...metadata } = object.metadata;
  const { kind, apiVersion, metadata: _m, ...rest } = object;
  return encoder.encode(JSON.stringify({ kind, apiVersion, metadata, ...rest }));
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export interface Decoder {
  /** The stored object with resourceVersion = `kv.modRevision`; frozen and shared. */
  decode(kv: KeyValue, variant?: string): Readonly<KubeObject>;
  /**
   * Cache an object derived from `kv` (e.g. a converted version) under `variant`; `baseVariant` names
   * the decode it derives from.
   */
  derive(
    kv: KeyValue,
    variant: string,
    make: (stored: Readonly<KubeObject>) => KubeObject,
    baseVariant?: string,
  ): Readonly<KubeObject>;
  /**
   * A private, mutable copy of what `decode(kv)` returns: copied from the cache when there, else parsed
   * and not cached (a read-modify-write only changes it; freezing it for the cache and then copying it
   * would walk the object twice more).
   */
  mutable(kv: KeyValue): KubeObject;
  /** Cache what `decode(kv)` returns, built by the writer of `kv` (deep-frozen; see stored-view.ts). */
  remember(kv: KeyValue, object: Readonly<KubeObject>): void;
}

/**
 * A bounded decode cache keyed by key and modRevision. 20,000 entries cover a busy watch fan-out
 * (every watcher of one change hits the same entry) without keeping a 150k-object cluster decoded twice.
 */
export function createDecoder(maxEntries = 20_000): Decoder {
  const cache = new Map<string, Readonly<KubeObject>>();
  const remember = (id: string, object: Readonly<KubeObject>) => {
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(id, object);
    return object;
  };
  const parse = (kv: KeyValue): KubeObject => {
    const object = JSON.parse(decoder.decode(kv.value)) as KubeObject;
    object.metadata = { ...object.metadata, resourceVersion: String(kv.modRevision) };
    return object;
  };
  const decode = (kv: KeyValue, variant = ''): Readonly<KubeObject> => {
    const id = `${kv.key}\0${kv.modRevision}\0${variant}`;
    return cache.get(id) ?? remember(id, deepFreeze(parse(kv)));
  };
  return {
    decode,
    mutable(kv) {
      const hit = cache.get(`${kv.key}\0${kv.modRevision}\0`);
      return hit ? copyValue(hit) : parse(kv);
    },
    derive(kv, variant, make, baseVariant = '') {
      const id = `${kv.key}\0${kv.modRevision}\0${variant}`;
      return cache.get(id) ?? remember(id, deepFreeze(make(decode(kv, baseVariant))));
    },
    remember(kv, object) {
      const id = `${kv.key}\0${kv.modRevision}\0`;
      if (!cache.has(id)) remember(id, object);
    },
  };
}

/**
 * The fast path: bytes of stored values with `"resourceVersion":"N"` spliced into metadata, without
 * parsing. `prefix` is `{"kind":"K","apiVersion":"V","metadata":{` as encodeObject writes it; if any
 * value does not start with it the result is undefined (callers then parse). With `dropTypeMeta` the
 * kind/apiVersion are left out, as real servers do for list items. Items are comma-separated.
 *
 * The length is known before a byte is written, so a response can declare it and then stream the
 * items in chunks: at 150,000 items one 200 MB buffer (plus its copies on the way to the socket) costs
 * more in page faults than the copying itself, while chunks of a few hundred KiB stay cheap.
 */
export interface SplicedItems {
  byteLength: number;
  /** The bytes in order, in buffers of about `chunkBytes` (an item is never split; empty yields nothing). */
  chunks(chunkBytes: number): Generator<Uint8Array, void, undefined>;
}

export function splicedItems(
  kvs: readonly KeyValue[],
  prefix: Uint8Array,
  dropTypeMeta: boolean,
): SplicedItems | undefined {
  const head = dropTypeMeta ? metadataOnlyPrefix : prefix;
  const prefixLength = prefix.length;
  let total = Math.max(0, kvs.length - 1);
  for (const kv of kvs) {
    const value = kv.value;
    if (value.length <= prefixLength) return undefined;
    for (let i = prefixLength - 1; i >= 0; i--) if (value[i] !== prefix[i]) return undefined;
    total += itemLength(kv, head, prefixLength);
  }
  return {
    byteLength: total,
    *chunks(chunkBytes) {
      let left = total;
      let chunk: Uint8Array | undefined;
      let at = 0;
      for (let k = 0; k < kvs.length; k++) {
        const kv = kvs[k] as KeyValue;
        const length = itemLength(kv, head, prefixLength) + (k > 0 ? 1 : 0);
        if (!chunk || at + length > chunk.length) {
          if (chunk && at > 0) yield chunk.subarray(0, at);
          // Every byte gets written, so the buffer need not be zeroed first.
          chunk = Buffer.allocUnsafe(Math.min(left, Math.max(chunkBytes, length)));
          at = 0;
        }
        if (k > 0) chunk[at++] = 0x2c; // ',' between items
        at = writeItem(chunk, at, kv, head, prefixLength);
        left -= length;
      }
      if (chunk && at > 0) yield chunk.subarray(0, at);
    },
  };
}

/** All spliced items in one buffer (small lists and single objects). */
export function spliceResourceVersions(
  kvs: readonly KeyValue[],
  prefix: Uint8Array,
  dropTypeMeta: boolean,
): Uint8Array | undefined {
  const items = splicedItems(kvs, prefix, dropTypeMeta);
  if (!items) return undefined;
  const [only] = items.chunks(items.byteLength);
  return only ?? new Uint8Array(0);
}

export function spliceResourceVersion(kv: KeyValue, prefix: Uint8Array, dropTypeMeta: boolean): Uint8Array | undefined {
  return spliceResourceVersions([kv], prefix, dropTypeMeta);
}

/** Bytes of one spliced item, without the separating comma. */
function itemLength(kv: KeyValue, head: Uint8Array, prefixLength: number): number {
  const value = kv.value;
  // Empty metadata ('}' follows the prefix) takes no comma after the resourceVersion.
  const comma = value[prefixLength] === 0x7d ? 0 : 1;
  return head.length + rvFieldLength(kv.modRevision) + comma + value.length - prefixLength;
}

function writeItem(out: Uint8Array, start: number, kv: KeyValue, head: Uint8Array, prefixLength: number): number {
  let at = start;
  out.set(head, at);
  at += head.length;
  out.set(rvFieldStart, at);
  at += rvFieldStart.length;
  at = writeDigits(out, at, kv.modRevision);
  out[at++] = 0x22; // '"'
  const value = kv.value;
  if (value[prefixLength] !== 0x7d) out[at++] = 0x2c; // ','
  // Buffers copy a range without a view object per item (150,000 views are real GC work).
  if (Buffer.isBuffer(value)) value.copy(out, at, prefixLength);
  else out.set(value.subarray(prefixLength), at);
  return at + value.length - prefixLength;
}

const rvFieldStart = encoder.encode('"resourceVersion":"');

/** Bytes of `"resourceVersion":"N"` (the comma, if any, is counted by the caller). */
function rvFieldLength(revision: number): number {
  let digits = 1;
  for (let rest = revision; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return rvFieldStart.length + digits + 1;
}

function writeDigits(out: Uint8Array, at: number, value: number): number {
  const digits = String(value);
  for (let i = 0; i < digits.length; i++) out[at + i] = digits.charCodeAt(i);
  return at + digits.length;
}

const metadataOnlyPrefix = encoder.encode('{"metadata":{');

export function typePrefix(kind: string, apiVersion: string): Uint8Array {
  return encoder.encode(`{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":{`);
}
