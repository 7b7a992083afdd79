/**
 * How one live key is laid out on disk: a 20-byte header (createRevision, modRevision as float64 so
 * revisions past 2^32 stay exact, version as uint32) followed by the value bytes.
 */
import type { KeyValue } from '../types.ts';

const headerBytes = 20;
// One scratch header, copied into each record: no view object per write.
const scratch = new DataView(new ArrayBuffer(headerBytes));
const scratchBytes = new Uint8Array(scratch.buffer);

/**
 * The record to write and the pair to keep in memory, sharing one buffer: the pair's value is a view
 * of the record past its header. That is the only copy of the caller's bytes the store makes (it must
 * own them: the caller's buffer may be pooled or reused), and it pins just the 20 header bytes more.
 */
export function recordOf(
  key: string,
  value: Uint8Array,
  createRevision: number,
  modRevision: number,
  version: number,
): { record: Uint8Array; kv: KeyValue } {
  const record = new Uint8Array(headerBytes + value.byteLength);
  scratch.setFloat64(0, createRevision);
  scratch.setFloat64(8, modRevision);
  scratch.setUint32(16, version);
  record.set(scratchBytes, 0);
  record.set(value, headerBytes);
  return { record, kv: { key, value: record.subarray(headerBytes), createRevision, modRevision, version } };
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
