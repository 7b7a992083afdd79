/**
 * The semantic contract every Store backend must meet, run unchanged against each one (embedded, etcd).
 *
 * Tests share one store with whatever else runs against it: each works under its own random key prefix
 * and never assumes the revision counter starts anywhere in particular or that no one else writes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStorageError, type KeyValue, type Store, type StoreEvent, type WatchBatch } from './types.ts';

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (value: Uint8Array): string => new TextDecoder().decode(value);

/** Resolves with the StorageError reason a promise fails with, or fails the test when it succeeds. */
async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isStorageError(err)) return err.reason;
    throw err;
  }
  throw new Error('expected a StorageError, but the call succeeded');
}

/** Collects watch events until `done` says enough, then aborts the watch. */
async function collectEvents(
  store: Store,
  prefix: string,
  afterRevision: number,
  done: (events: StoreEvent[]) => boolean,
  progressIntervalMs?: number,
): Promise<{ events: StoreEvent[]; batches: WatchBatch[] }> {
  const controller = new AbortController();
  const events: StoreEvent[] = [];
  const batches: WatchBatch[] = [];
  const options =
    progressIntervalMs === undefined
      ? { signal: controller.signal }
      : { signal: controller.signal, progressIntervalMs };
  for await (const batch of store.watch(prefix, afterRevision, options)) {
    batches.push(batch);
    events.push(...batch.events);
    if (done(events)) controller.abort();
  }
  return { events, batches };
}

/** A watch that has been started and collects in the background; `until` waits for a condition. */
function startWatch(store: Store, prefix: string, afterRevision: number) {
  const controller = new AbortController();
  const events: StoreEvent[] = [];
  let failure: unknown;
  let wake: () => void = () => {};
  const running = (async () => {
    try {
      for await (const batch of store.watch(prefix, afterRevision, { signal: controller.signal })) {
        events.push(...batch.events);
        wake();
      }
    } catch (err) {
      failure = err;
    }
    wake();
  })();
  return {
    events,
    async until(count: number): Promise<StoreEvent[]> {
      while (events.length < count && failure === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (failure !== undefined) throw failure;
      return events;
    },
    async stop(): Promise<void> {
      controller.abort();
      await running;
    },
  };
}

const summary = (e: StoreEvent) => ({
  type: e.type,
  key: e.kv.key,
  value: text(e.kv.value),
  modRevision: e.kv.modRevision,
});

export function defineStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(name, () => {
    let opened: OpenedStore;
    let store: Store;
    let prefix: string;
    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });
    afterAll(async () => {
      await opened.cleanup();
    });
    const fresh = () => {
      prefix = `/registry/test/${randomUUID()}/`;
      return prefix;
    };

    describe('create and get', () => {
      it('returns the new pair with one revision for create and mod, version 1', async () => {
        const p = fresh();
        const before = await store.currentRevision();
        const kv = await store.create(`${p}a`, bytes('one'));
        expect(kv.key).toBe(`${p}a`);
        expect(text(kv.value)).toBe('one');
        expect(kv.modRevision).toBeGreaterThan(before);
        expect(kv.createRevision).toBe(kv.modRevision);
        expect(kv.version).toBe(1);
        expect(await store.currentRevision()).toBeGreaterThanOrEqual(kv.modRevision);
      });

      it('gets what was created, with the revision it was read at', async () => {
        const p = fresh();
        const kv = await store.create(`${p}a`, bytes('one'));
        const got = await store.get(`${p}a`);
        expect(got.revision).toBeGreaterThanOrEqual(kv.modRevision);
        expect(got.kv).toBeDefined();
        expect(text(got.kv!.value)).toBe('one');
        expect(got.kv!.modRevision).toBe(kv.modRevision);
        expect(got.kv!.createRevision).toBe(kv.createRevision);
        expect(got.kv!.version).toBe(1);
      });

      it('gets nothing for a missing key', async () => {
        const p = fresh();
        const got = await store.get(`${p}missing`);
        expect(got.kv).toBeUndefined();
        expect(got.revision).toBeGreaterThanOrEqual(0);
      });

      it('fails with AlreadyExists when the key exists', async () => {
        const p = fresh();
        await store.create(`${p}a`, bytes('one'));
        expect(await reasonOf(store.create(`${p}a`, bytes('two')))).toBe('AlreadyExists');
        expect(text((await store.get(`${p}a`)).kv!.value)).toBe('one');
      });

      it('keeps values as opaque bytes, including zeros and empty values', async () => {
        const p = fresh();
        const binary = new Uint8Array([0, 255, 1, 0, 128, 0]);
        await store.create(`${p}binary`, binary);
        await store.create(`${p}empty`, new Uint8Array(0));
        expect([...(await store.get(`${p}binary`)).kv!.value]).toEqual([...binary]);
        expect((await store.get(`${p}empty`)).kv!.value.byteLength).toBe(0);
      });

      it('lets exactly one of many concurrent creates of one key win', async () => {
        const p = fresh();
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.create(`${p}race`, bytes(`v${i}`))),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect(isStorageError(r.reason, 'AlreadyExists')).toBe(true);
        }
      });

      it('gives every write a strictly greater revision', async () => {
        const p = fresh();
        const a = await store.create(`${p}a`, bytes('1'));
        const b = await store.create(`${p}b`, bytes('2'));
        const c = await store.update(`${p}a`, bytes('3'), a.modRevision);
        const d = await store.delete(`${p}b`);
        expect(b.modRevision).toBeGreaterThan(a.modRevision);
        expect(c.modRevision).toBeGreaterThan(b.modRevision);
        expect(d.modRevision).toBeGreaterThan(c.modRevision);
        const concurrent = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.create(`${p}c${i}`, bytes('x'))),
        );
        const revisions = concurrent.map((kv) => kv.modRevision);
        expect(new Set(revisions).size).toBe(revisions.length);
      });
    });

    describe('update', () => {
      it('swaps when the expected modRevision matches, keeping createRevision and bumping version', async () => {
        const p = fresh();
        const created = await store.create(`${p}a`, bytes('one'));
        const updated = await store.update(`${p}a`, bytes('two'), created.modRevision);
        expect(updated.modRevision).toBeGreaterThan(created.modRevision);
        expect(updated.createRevision).toBe(created.createRevision);
        expect(updated.version).toBe(2);
        expect(text(updated.value)).toBe('two');
        const got = (await store.get(`${p}a`)).kv!;
        expect(text(got.value)).toBe('two');
        expect(got.modRevision).toBe(updated.modRevision);
        expect(got.version).toBe(2);
      });

      it('fails with Conflict on a stale modRevision and leaves the value alone', async () => {
        const p = fresh();
        const created = await store.create(`${p}a`, bytes('one'));
        await store.update(`${p}a`, bytes('two'), created.modRevision);
        let error: unknown;
        try {
          await store.update(`${p}a`, bytes('three'), created.modRevision);
        } catch (err) {
          error = err;
        }
        expect(isStorageError(error, 'Conflict')).toBe(true);
        const current = (error as { current?: KeyValue }).current;
        if (current) expect(text(current.value)).toBe('two');
        expect(text((await store.get(`${p}a`)).kv!.value)).toBe('two');
      });

      it('fails with NotFound when the key does not exist', async () => {
        const p = fresh();
        expect(await reasonOf(store.update(`${p}missing`, bytes('x'), 1))).toBe('NotFound');
      });

      it('lets exactly one of many concurrent updates from the same revision win', async () => {
        const p = fresh();
        const created = await store.create(`${p}a`, bytes('zero'));
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.update(`${p}a`, bytes(`v${i}`), created.modRevision)),
        );
        const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        expect(won).toHaveLength(1);
        expect(text((await store.get(`${p}a`)).kv!.value)).toBe(text(won[0]!.value));
      });
    });

    describe('delete', () => {
      it('returns the last value with the revision of the delete, and the key is gone', async () => {
        const p = fresh();
        const created = await store.create(`${p}a`, bytes('one'));
        const deleted = await store.delete(`${p}a`);
        expect(deleted.key).toBe(`${p}a`);
        expect(text(deleted.value)).toBe('one');
        expect(deleted.modRevision).toBeGreaterThan(created.modRevision);
        expect((await store.get(`${p}a`)).kv).toBeUndefined();
        expect(await store.currentRevision()).toBeGreaterThanOrEqual(deleted.modRevision);
      });

      it('fails with NotFound for a missing key', async () => {
        const p = fresh();
        expect(await reasonOf(store.delete(`${p}missing`))).toBe('NotFound');
        expect(await reasonOf(store.delete(`${p}missing`, 5))).toBe('NotFound');
      });

      it('honours an expected modRevision: Conflict when stale, deletes when current', async () => {
        const p = fresh();
        const created = await store.create(`${p}a`, bytes('one'));
        const updated = await store.update(`${p}a`, bytes('two'), created.modRevision);
        expect(await reasonOf(store.delete(`${p}a`, created.modRevision))).toBe('Conflict');
        expect(text((await store.get(`${p}a`)).kv!.value)).toBe('two');
        const deleted = await store.delete(`${p}a`, updated.modRevision);
        expect(text(deleted.value)).toBe('two');
        expect((await store.get(`${p}a`)).kv).toBeUndefined();
      });

      it('starts a new life on re-create: version 1 and a new createRevision', async () => {
        const p = fresh();
        const first = await store.create(`${p}a`, bytes('one'));
        await store.update(`${p}a`, bytes('two'), first.modRevision);
        await store.delete(`${p}a`);
        const again = await store.create(`${p}a`, bytes('three'));
        expect(again.version).toBe(1);
        expect(again.createRevision).toBe(again.modRevision);
        expect(again.createRevision).toBeGreaterThan(first.createRevision);
      });
    });

    describe('list and count', () => {
      it('lists only keys under the prefix, in ascending key order', async () => {
        const p = fresh();
        for (const k of ['b', 'a/x', 'c', 'a/y', 'ab']) await store.create(`${p}${k}`, bytes(k));
        await store.create(`${p.slice(0, -1)}-sibling`, bytes('outside'));
        const all = await store.list(p);
        expect(all.kvs.map((kv) => kv.key)).toEqual(['a/x', 'a/y', 'ab', 'b', 'c'].map((k) => `${p}${k}`));
        expect(all.kvs.map((kv) => text(kv.value))).toEqual(['a/x', 'a/y', 'ab', 'b', 'c']);
        expect(all.more).toBe(false);
        const sub = await store.list(`${p}a/`);
        expect(sub.kvs.map((kv) => kv.key)).toEqual([`${p}a/x`, `${p}a/y`]);
      });

      it('returns a revision at least that of the latest write seen', async () => {
        const p = fresh();
        const kv = await store.create(`${p}a`, bytes('one'));
        const listed = await store.list(p);
        expect(listed.revision).toBeGreaterThanOrEqual(kv.modRevision);
        expect(listed.kvs[0]!.modRevision).toBe(kv.modRevision);
      });

      it('returns an empty list for an empty prefix subtree', async () => {
        const p = fresh();
        const listed = await store.list(p);
        expect(listed.kvs).toEqual([]);
        expect(listed.more).toBe(false);
      });

      it('pages with limit and after, and says whether more follow', async () => {
        const p = fresh();
        for (let i = 0; i < 5; i++) await store.create(`${p}k${i}`, bytes(`${i}`));
        const first = await store.list(p, { limit: 2 });
        expect(first.kvs.map((kv) => text(kv.value))).toEqual(['0', '1']);
        expect(first.more).toBe(true);
        const second = await store.list(p, { limit: 2, after: first.kvs[1]!.key, atRevision: first.revision });
        expect(second.kvs.map((kv) => text(kv.value))).toEqual(['2', '3']);
        expect(second.more).toBe(true);
        expect(second.revision).toBe(first.revision);
        const last = await store.list(p, { limit: 2, after: second.kvs[1]!.key, atRevision: first.revision });
        expect(last.kvs.map((kv) => text(kv.value))).toEqual(['4']);
        expect(last.more).toBe(false);
        const exact = await store.list(p, { limit: 5 });
        expect(exact.kvs).toHaveLength(5);
        expect(exact.more).toBe(false);
      });

      it('continues a paginated list at the revision of its first page despite later writes', async () => {
        const p = fresh();
        const kvs: KeyValue[] = [];
        for (let i = 0; i < 4; i++) kvs.push(await store.create(`${p}k${i}`, bytes(`old${i}`)));
        const first = await store.list(p, { limit: 2 });
        await store.update(`${p}k2`, bytes('new2'), kvs[2]!.modRevision);
        await store.delete(`${p}k3`);
        await store.create(`${p}k4`, bytes('new4'));
        const rest = await store.list(p, { after: first.kvs[1]!.key, atRevision: first.revision });
        expect(rest.revision).toBe(first.revision);
        expect(rest.kvs.map((kv) => text(kv.value))).toEqual(['old2', 'old3']);
        const now = await store.list(p);
        expect(now.kvs.map((kv) => text(kv.value))).toEqual(['old0', 'old1', 'new2', 'new4']);
      });

      it('reads a list and a get at a past revision', async () => {
        const p = fresh();
        const a = await store.create(`${p}a`, bytes('a1'));
        const b = await store.create(`${p}b`, bytes('b1'));
        const a2 = await store.update(`${p}a`, bytes('a2'), a.modRevision);
        await store.delete(`${p}b`);
        const atB = await store.list(p, { atRevision: b.modRevision });
        expect(atB.revision).toBe(b.modRevision);
        expect(atB.kvs.map((kv) => `${kv.key.slice(p.length)}=${text(kv.value)}@${kv.modRevision}`)).toEqual([
          `a=a1@${a.modRevision}`,
          `b=b1@${b.modRevision}`,
        ]);
        const gotOld = await store.get(`${p}a`, b.modRevision);
        expect(text(gotOld.kv!.value)).toBe('a1');
        expect(gotOld.kv!.version).toBe(1);
        expect((await store.get(`${p}a`, a2.modRevision)).kv!.version).toBe(2);
        expect((await store.get(`${p}b`, a.modRevision)).kv).toBeUndefined();
        expect((await store.get(`${p}b`, a2.modRevision)).kv?.modRevision).toBe(b.modRevision);
      });

      it('counts the keys under a prefix', async () => {
        const p = fresh();
        for (let i = 0; i < 3; i++) await store.create(`${p}k${i}`, bytes('x'));
        await store.delete(`${p}k1`);
        expect(await store.count(p)).toBe(2);
        expect(await store.count(`${p}nothing/`)).toBe(0);
      });

      it('fails with FutureRevision for a read past the current revision', async () => {
        const p = fresh();
        const future = (await store.currentRevision()) + 1_000_000;
        expect(await reasonOf(store.list(p, { atRevision: future }))).toBe('FutureRevision');
        expect(await reasonOf(store.get(`${p}a`, future))).toBe('FutureRevision');
      });
    });

    describe('compaction', () => {
      it('fails reads before the compaction point with TooOld and keeps reads at or after it', async () => {
        const p = fresh();
        const a = await store.create(`${p}a`, bytes('a1'));
        const a2 = await store.update(`${p}a`, bytes('a2'), a.modRevision);
        const b = await store.create(`${p}b`, bytes('b1'));
        await store.compact(a2.modRevision);
        expect(await store.compactedRevision()).toBeGreaterThanOrEqual(a2.modRevision);
        let error: unknown;
        try {
          await store.list(p, { atRevision: a.modRevision });
        } catch (err) {
          error = err;
        }
        expect(isStorageError(error, 'TooOld')).toBe(true);
        expect((error as { compactedRevision?: number }).compactedRevision).toBeGreaterThanOrEqual(a2.modRevision);
        expect(await reasonOf(store.get(`${p}a`, a.modRevision))).toBe('TooOld');
        const atB = await store.list(p, { atRevision: b.modRevision });
        expect(atB.kvs.map((kv) => text(kv.value))).toEqual(['a2', 'b1']);
        expect(text((await store.get(`${p}a`)).kv!.value)).toBe('a2');
      });

      it('fails a watch from before the compaction point with TooOld', async () => {
        const p = fresh();
        const a = await store.create(`${p}a`, bytes('a1'));
        const a2 = await store.update(`${p}a`, bytes('a2'), a.modRevision);
        const a3 = await store.update(`${p}a`, bytes('a3'), a2.modRevision);
        await store.compact(a3.modRevision);
        expect(await reasonOf(collectEvents(store, p, a.modRevision - 1, () => true))).toBe('TooOld');
      });
    });

    describe('watch', () => {
      it('delivers puts and deletes after the start revision, in order, with their revisions', async () => {
        const p = fresh();
        const start = await store.currentRevision();
        const watch = startWatch(store, p, start);
        const a = await store.create(`${p}a`, bytes('a1'));
        const a2 = await store.update(`${p}a`, bytes('a2'), a.modRevision);
        await store.create(`${p.slice(0, -1)}-other`, bytes('not watched'));
        const deleted = await store.delete(`${p}a`);
        const events = await watch.until(3);
        await watch.stop();
        expect(events.map(summary)).toEqual([
          { type: 'put', key: `${p}a`, value: 'a1', modRevision: a.modRevision },
          { type: 'put', key: `${p}a`, value: 'a2', modRevision: a2.modRevision },
          { type: 'delete', key: `${p}a`, value: 'a2', modRevision: deleted.modRevision },
        ]);
        expect(events[0]!.kv.version).toBe(1);
        expect(events[1]!.kv.version).toBe(2);
        expect(events[1]!.kv.createRevision).toBe(a.modRevision);
      });

      it('replays history after a past revision, then continues live', async () => {
        const p = fresh();
        const a = await store.create(`${p}a`, bytes('a1'));
        const b = await store.create(`${p}b`, bytes('b1'));
        const a2 = await store.update(`${p}a`, bytes('a2'), a.modRevision);
        const watch = startWatch(store, p, a.modRevision);
        await watch.until(2);
        const c = await store.create(`${p}c`, bytes('c1'));
        const events = await watch.until(3);
        await watch.stop();
        expect(events.map((e) => e.kv.modRevision)).toEqual([b.modRevision, a2.modRevision, c.modRevision]);
        expect(events.map((e) => text(e.kv.value))).toEqual(['b1', 'a2', 'c1']);
      });

      it('delivers every change, in order and without gaps, to many watchers at once', async () => {
        const p = fresh();
        const start = await store.currentRevision();
        const watches = Array.from({ length: 20 }, () => startWatch(store, p, start));
        const writes: KeyValue[] = [];
        await Promise.all(
          Array.from({ length: 5 }, async (_, w) => {
            let kv = await store.create(`${p}w${w}`, bytes('0'));
            writes.push(kv);
            for (let i = 1; i < 6; i++) {
              kv = await store.update(kv.key, bytes(`${i}`), kv.modRevision);
              writes.push(kv);
            }
          }),
        );
        const expected = writes.map((kv) => kv.modRevision).sort((x, y) => x - y);
        for (const watch of watches) {
          const events = await watch.until(expected.length);
          expect(events.map((e) => e.kv.modRevision)).toEqual(expected);
          await watch.stop();
        }
      });

      it('tells an idle watcher the current revision with empty progress batches', async () => {
        const p = fresh();
        const kv = await store.create(`${p}a`, bytes('a1'));
        const { batches } = await collectEvents(store, p, kv.modRevision, () => true, 50);
        // The first batch of an idle watch can only be a progress notice.
        expect(batches).toHaveLength(1);
        expect(batches[0]!.events).toEqual([]);
        expect(batches[0]!.revision).toBeGreaterThanOrEqual(kv.modRevision);
      });

      it('marks every batch with a revision at least that of its last event', async () => {
        const p = fresh();
        const start = await store.currentRevision();
        const writes = Promise.all([0, 1, 2].map((i) => store.create(`${p}k${i}`, bytes('x'))));
        const { batches } = await collectEvents(store, p, start, (events) => events.length >= 3);
        await writes;
        for (const batch of batches) {
          const last = batch.events.at(-1);
          if (last) expect(batch.revision).toBeGreaterThanOrEqual(last.kv.modRevision);
        }
      });

      it('ends normally when its signal aborts', async () => {
        const p = fresh();
        const controller = new AbortController();
        const start = await store.currentRevision();
        const iterator = store.watch(p, start, { signal: controller.signal })[Symbol.asyncIterator]();
        const next = iterator.next();
        controller.abort();
        const result = await next;
        // Either it ends at once, or it hands over a (progress) batch and ends on the following step.
        if (!result.done) expect((await iterator.next()).done).toBe(true);
      });
    });
  });
}
