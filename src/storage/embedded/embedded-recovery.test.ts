import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isStorageError, type StoreEvent } from '../types.ts';
import { createEmbeddedStore } from './embedded-store.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array) => new TextDecoder().decode(value);

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-embedded-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('embedded store on restart', () => {
  it('recovers every object and the revision counter exactly, even when a delete was last', async () => {
    const dataDir = tempDir();
    const first = await createEmbeddedStore({ dataDir });
    const a = await first.create('/r/a', bytes('a1'));
    const a2 = await first.update('/r/a', bytes('a2'), a.modRevision);
    await first.create('/r/b', bytes('b1'));
    const deleted = await first.delete('/r/b');
    await first.close();

    const second = await createEmbeddedStore({ dataDir });
    expect(await second.currentRevision()).toBe(deleted.modRevision);
    const listed = await second.list('/r/');
    expect(listed.kvs).toEqual([{ ...a2, value: bytes('a2') }]);
    const next = await second.create('/r/c', bytes('c1'));
    expect(next.modRevision).toBe(deleted.modRevision + 1);
    await second.close();
  });

  it('starts history at the recovered revision: older reads and watches are TooOld', async () => {
    const dataDir = tempDir();
    const first = await createEmbeddedStore({ dataDir });
    const a = await first.create('/r/a', bytes('a1'));
    await first.update('/r/a', bytes('a2'), a.modRevision);
    await first.close();
    const second = await createEmbeddedStore({ dataDir });
    expect(await second.compactedRevision()).toBe(a.modRevision + 1);
    const error = await second.get('/r/a', a.modRevision).catch((err: unknown) => err);
    expect(isStorageError(error, 'TooOld')).toBe(true);
    await second.close();
  });
});

describe('embedded store watchers and compaction', () => {
  it('closes a watcher that falls too far behind with WatcherTooSlow', async () => {
    const store = await createEmbeddedStore({ dataDir: tempDir(), watcherBufferLimit: 5 });
    const controller = new AbortController();
    const iterator = store.watch('/w/', 0, { signal: controller.signal })[Symbol.asyncIterator]();
    await store.create('/w/0', bytes('0'));
    // Skip progress notices a slow machine may interleave before the first event.
    let first = await iterator.next();
    while (!first.done && first.value.events.length === 0) first = await iterator.next();
    expect(first.value?.events).toHaveLength(1);
    // The consumer stops pulling while ten more writes commit.
    for (let i = 1; i <= 10; i++) await store.create(`/w/${i}`, bytes(`${i}`));
    const error = await iterator.next().catch((err: unknown) => err);
    expect(isStorageError(error, 'WatcherTooSlow')).toBe(true);
    controller.abort();
    await store.close();
  });

  it('compacts automatically, keeping the configured number of revisions', async () => {
    const store = await createEmbeddedStore({
      dataDir: tempDir(),
      compaction: { minRevisions: 3, minAgeMs: 0 },
      compactionIntervalMs: 5,
    });
    let kv = await store.create('/c/a', bytes('0'));
    for (let i = 1; i < 10; i++) kv = await store.update('/c/a', bytes(`${i}`), kv.modRevision);
    while ((await store.compactedRevision()) < kv.modRevision - 3) await new Promise((r) => setTimeout(r, 5));
    expect(await store.compactedRevision()).toBe(kv.modRevision - 3);
    expect(text((await store.get('/c/a', kv.modRevision - 3)).kv!.value)).toBe('6');
    await store.close();
  });

  it('ends open watches with Unavailable on close and refuses writes afterwards', async () => {
    const store = await createEmbeddedStore({ dataDir: tempDir() });
    const controller = new AbortController();
    const events: StoreEvent[] = [];
    const watching = (async () => {
      for await (const batch of store.watch('/x/', 0, { signal: controller.signal })) events.push(...batch.events);
    })().catch((err: unknown) => err);
    await store.create('/x/a', bytes('a'));
    await store.close();
    expect(isStorageError(await watching, 'Unavailable')).toBe(true);
    const error = await store.create('/x/b', bytes('b')).catch((err: unknown) => err);
    expect(isStorageError(error, 'Unavailable')).toBe(true);
  });

  it('keeps its own copy of a value that is a view into a larger buffer', async () => {
    const store = await createEmbeddedStore({ dataDir: tempDir() });
    const big = new Uint8Array(4096).fill(7);
    const kv = await store.create('/m/a', big.subarray(10, 20));
    // Its own buffer: the value plus the 20-byte record header it shares with what went to disk.
    expect(kv.value.buffer.byteLength).toBe(30);
    big.fill(1);
    expect([...(await store.get('/m/a')).kv!.value]).toEqual(new Array(10).fill(7));
    await store.close();
  });
});
