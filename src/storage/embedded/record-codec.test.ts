import { describe, expect, it } from 'vitest';
import type { KeyValue } from '../types.ts';
import { decodeRecord, recordOf } from './record-codec.ts';

const encodeRecord = (kv: KeyValue) => recordOf(kv.key, kv.value, kv.createRevision, kv.modRevision, kv.version).record;

describe('record codec', () => {
  it('round-trips revisions, version and value bytes', () => {
    const kv = { key: '/k', value: new Uint8Array([0, 1, 255]), createRevision: 7, modRevision: 2 ** 40, version: 3 };
    expect(decodeRecord('/k', encodeRecord(kv))).toEqual(kv);
  });

  it('gives the decoded value its own buffer', () => {
    const record = encodeRecord({
      key: '/k',
      value: new Uint8Array([5, 6]),
      createRevision: 1,
      modRevision: 1,
      version: 1,
    });
    const shared = new Uint8Array(record.byteLength + 100);
    shared.set(record, 50);
    const kv = decodeRecord('/k', shared.subarray(50, 50 + record.byteLength));
    expect(kv.value.buffer.byteLength).toBe(2);
    expect([...kv.value]).toEqual([5, 6]);
  });

  it('keeps the value as a view of the record, past its header', () => {
    const caller = new Uint8Array([1, 2, 3]);
    const { record, kv } = recordOf('/k', caller, 4, 5, 2);
    caller[0] = 9;
    expect([...kv.value]).toEqual([1, 2, 3]);
    expect(kv.value.buffer).toBe(record.buffer);
    expect(record.byteLength - kv.value.byteLength).toBe(20);
    expect(decodeRecord('/k', record)).toEqual({ ...kv, value: new Uint8Array([1, 2, 3]) });
  });

  it('refuses a record too short to hold a header', () => {
    expect(() => decodeRecord('/k', new Uint8Array(3))).toThrow(/corrupt/);
  });
});
