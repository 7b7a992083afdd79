/**
 * How one live key is laid out on disk: a 20-byte header (createRevision, modRevision as float64 so
 * revisions past 2^32 stay exact, version as uint32) followed by the value bytes.
 */
import type { KeyValue } from '../types.ts';

const headerBytes = 20;

export function encodeRecord(kv: KeyValue): Uint8Array {
  const record = new Uint8Array(headerBytes + kv.value.byteLength);
  const view = new DataView(record.buffer);
  view.setFloat64(0, kv.createRevision);
  view.setFloat64(8, kv.modRevision);
  view.setUint32(16, kv.version);
  record.set(kv.value, headerBytes);
  return record;
}

/**
 * The value gets its own small ArrayBuffer: a view into the (reused or shared) read buffer would either
 * change under us or pin far more memory than the value itself.
 */
export function decodeRecord(key: string, record: Uint8Array): KeyValue {
  if (record.byteLength < headerBytes) throw new Error(`corrupt record for ${key}: ${record.byteLength} bytes`);
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const value = new Uint8Array(record.byteLength - headerBytes);
  value.set(record.subarray(headerBytes));
  return {
    key,
    value,
    createRevision: view.getFloat64(0),
    modRevision: view.getFloat64(8),
    version: view.getUint32(16),
  };
}
