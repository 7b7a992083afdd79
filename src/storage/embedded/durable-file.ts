/**
 * The durable half of the embedded store: one lmdb environment holding every live key and the revision
 * counter. lmdb batches all writes issued in one event turn into one transaction and commits batches in
 * the order they were issued, so the file always holds a prefix of the write sequence: never half a write,
 * never a later write without an earlier one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import type { KeyValue } from '../types.ts';
import { decodeRecord, encodeRecord } from './record-codec.ts';

export interface DurableFile {
  /** Every live pair (in key order) and the revision counter, as last committed. */
  recover(): { kvs: KeyValue[]; revision: number };
  /** Resolves once the pair is flushed to disk. */
  put(kv: KeyValue): Promise<void>;
  /** Resolves once the removal and the revision of the delete are flushed to disk. */
  remove(key: string, revision: number): Promise<void>;
  close(): Promise<void>;
}

const revisionKey = 'revision';

type CommitPromise = Promise<boolean> & { flushed?: Promise<unknown> };

/** lmdb resolves a write at commit; `flushed` (with separateFlushed) resolves when the OS reports it on disk. */
async function untilFlushed(write: Promise<boolean>): Promise<void> {
  const pending = write as CommitPromise;
  await pending;
  await pending.flushed;
}

export function openDurableFile(dataDir: string): DurableFile {
  const path = join(dataDir, 'store');
  mkdirSync(path, { recursive: true });
  // Default sync settings on purpose: a resolved write is on disk, not just in the page cache.
  const root = open({ path, maxDbs: 4, separateFlushed: true });
  const data = root.openDB<Uint8Array, string>({ name: 'kv', encoding: 'binary' });
  // The revision counter only needs its own record for deletes: a put's revision is in its record, so
  // the counter on recovery is the larger of the two.
  const meta = root.openDB<number, string>({ name: 'meta' });

  return {
    recover() {
      const kvs: KeyValue[] = [];
      let revision = meta.get(revisionKey) ?? 0;
      for (const { key, value } of data.getRange()) {
        const kv = decodeRecord(key, value);
        if (kv.modRevision > revision) revision = kv.modRevision;
        kvs.push(kv);
      }
      return { kvs, revision };
    },
    put: (kv) => untilFlushed(data.put(kv.key, encodeRecord(kv))),
    remove(key, revision) {
      const removed = data.remove(key);
      const counted = meta.put(revisionKey, revision);
      return Promise.all([untilFlushed(removed), untilFlushed(counted)]).then(() => undefined);
    },
    close: () => root.close(),
  };
}
