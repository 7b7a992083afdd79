import type { IKeyValue } from 'etcd3';
import type { KeyValue } from '../types.ts';

/** One key range in etcd's terms: `[key, rangeEnd)`, where a `rangeEnd` of `\0` means "to the end". */
export interface KeyRange {
  key: Buffer;
  rangeEnd: Buffer;
}

/**
 * Maps Store keys to etcd keys under an optional prefix (as kube-apiserver's `--etcd-prefix`), so that
 * several wharf clusters or test runs can share one etcd without seeing each other's keys.
 */
export class KeySpace {
  private readonly prefix: Buffer;

  constructor(prefix = '') {
    this.prefix = Buffer.from(prefix, 'utf8');
  }

  toEtcd(key: string): Buffer {
    return Buffer.concat([this.prefix, Buffer.from(key, 'utf8')]);
  }

  fromEtcd(key: Buffer): string {
    return key.subarray(this.prefix.length).toString('utf8');
  }

  /** Every etcd key whose Store key starts with `prefix`. */
  rangeOf(prefix: string): KeyRange {
    const key = this.toEtcd(prefix);
    return { key: key.length === 0 ? Buffer.from([0]) : key, rangeEnd: prefixEnd(key) };
  }

  /** Converts etcd's pair (revisions as decimal strings) to ours; all our revisions fit in 2^53. */
  toKeyValue(kv: IKeyValue): KeyValue {
    return {
      key: this.fromEtcd(kv.key),
      value: new Uint8Array(kv.value.buffer, kv.value.byteOffset, kv.value.byteLength),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
      version: Number(kv.version),
    };
  }
}

/**
 * The smallest key greater than every key starting with `key`: increment the last byte that is not
 * 0xff and drop what follows (etcd's clientv3.GetPrefixRangeEnd rule); `\0` (to the end) when there is
 * no such byte, e.g. for the empty prefix.
 */
export function prefixEnd(key: Buffer): Buffer {
  for (let i = key.length - 1; i >= 0; i--) {
    const byte = key[i] ?? 0xff;
    if (byte < 0xff) {
      const end = Buffer.from(key.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return Buffer.from([0]);
}

/** The smallest key after `key`: continuing a page after `key` starts here. */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}
