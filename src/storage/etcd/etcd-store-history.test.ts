import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStorageError, type KeyValue, type Store } from '../types.ts';
import { type EtcdServer, startEtcd } from './etcd-process.ts';
import { createEtcdStore } from './etcd-store.ts';
import { bytes, collect, text } from './test-helpers.ts';

// Watches from before what a store holds in memory read history from etcd, then join the shared stream.
describe('etcd store watch history and limits', () => {
  let etcd: EtcdServer;
  let writer: Store;
  beforeAll(async () => {
    etcd = await startEtcd();
    writer = await createEtcdStore({ endpoints: etcd.endpoints });
  });
  afterAll(async () => {
    await writer?.close();
    await etcd?.stop();
  });
  const fresh = () => `/registry/history/${randomUUID()}/`;

  const writeSeries = async (p: string, count: number): Promise<KeyValue[]> => {
    const written: KeyValue[] = [];
    let kv = await writer.create(`${p}k`, bytes('0'));
    written.push(kv);
    for (let i = 1; i < count; i++) {
      kv = await writer.update(kv.key, bytes(`${i}`), kv.modRevision);
      written.push(kv);
    }
    return written;
  };

  it('replays history from before the store opened, then continues live without gap or duplicate', async () => {
    const p = fresh();
    const before = await writeSeries(p, 5);
    const late = await createEtcdStore({ endpoints: etcd.endpoints, watchWindowEvents: 2 });
    try {
      const watch = collect(late, p, before[0]!.modRevision);
      await watch.until(4);
      const more = await writer.update(`${p}k`, bytes('live'), before[4]!.modRevision);
      const after = await writer.create(`${p}other`, bytes('live 2'));
      const events = await watch.until(6);
      expect(events.map((e) => e.kv.modRevision)).toEqual([
        ...before.slice(1).map((kv) => kv.modRevision),
        more.modRevision,
        after.modRevision,
      ]);
      expect(events.map((e) => text(e.kv.value))).toEqual(['1', '2', '3', '4', 'live', 'live 2']);
      await watch.untilProgress(after.modRevision);
      await watch.stop();
    } finally {
      await late.close();
    }
  });

  it('serves watchers after its window has moved on, from etcd', async () => {
    const p = fresh();
    const small = await createEtcdStore({ endpoints: etcd.endpoints, watchWindowEvents: 3 });
    try {
      const start = await small.currentRevision();
      const written = await writeSeries(p, 12);
      // Make sure the small store has seen (and evicted) them before the watch starts.
      const seen = collect(small, p, start);
      await seen.until(12);
      await seen.stop();
      const watch = collect(small, p, start);
      const events = await watch.until(12);
      expect(events.map((e) => e.kv.modRevision)).toEqual(written.map((kv) => kv.modRevision));
      await watch.stop();
    } finally {
      await small.close();
    }
  });

  it('fails a watcher that falls too far behind with WatcherTooSlow', async () => {
    const p = fresh();
    const tight = await createEtcdStore({ endpoints: etcd.endpoints, watcherBufferEvents: 5 });
    try {
      const controller = new AbortController();
      const iterator = tight
        .watch(p, await tight.currentRevision(), { signal: controller.signal })
        [Symbol.asyncIterator]();
      const written = await writeSeries(p, 20);
      // A reader that keeps up sees the last write arrive; the never-read watcher above overflowed by then.
      const witness = collect(tight, p, written[18]!.modRevision);
      await witness.until(1);
      await witness.stop();
      let failure: unknown;
      try {
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
          /* drain until it fails */
        }
      } catch (err) {
        failure = err;
      }
      expect(isStorageError(failure, 'WatcherTooSlow')).toBe(true);
      controller.abort();
    } finally {
      await tight.close();
    }
  });

  it('learns a compaction made by another store: TooOld with the compaction point for reads and watches', async () => {
    const p = fresh();
    const other = await createEtcdStore({ endpoints: etcd.endpoints });
    try {
      const written = await writeSeries(p, 4);
      await writer.compact(written[2]!.modRevision);
      expect(await other.compactedRevision()).toBe(written[2]!.modRevision);
      const late = await createEtcdStore({ endpoints: etcd.endpoints });
      try {
        const failed = await late.get(`${p}k`, written[0]!.modRevision).catch((err: unknown) => err);
        expect(failed).toMatchObject({ reason: 'TooOld', compactedRevision: written[2]!.modRevision });
        // Before `late`'s window: etcd itself refuses the watch and names the compaction point.
        const watch = collect(late, p, written[0]!.modRevision - 1);
        expect(await watch.ended()).toMatchObject({ reason: 'TooOld', compactedRevision: written[2]!.modRevision });
        const fromPoint = collect(late, p, written[2]!.modRevision - 1);
        expect((await fromPoint.until(2)).map((e) => text(e.kv.value))).toEqual(['2', '3']);
        await fromPoint.stop();
      } finally {
        await late.close();
      }
    } finally {
      await other.close();
    }
  });
});

describe('etcd store when etcd is gone', () => {
  it('fails calls with Unavailable, and opening fails with Unavailable', async () => {
    const etcd = await startEtcd();
    const store = await createEtcdStore({ endpoints: etcd.endpoints });
    await store.create('/registry/gone/a', bytes('a'));
    await etcd.stop();
    try {
      await expect(store.get('/registry/gone/a')).rejects.toMatchObject({ reason: 'Unavailable' });
      await expect(store.create('/registry/gone/b', bytes('b'))).rejects.toMatchObject({ reason: 'Unavailable' });
      await expect(createEtcdStore({ endpoints: etcd.endpoints })).rejects.toMatchObject({ reason: 'Unavailable' });
    } finally {
      await store.close();
    }
  });
});
