/**
 * Model-based test: random operation sequences against the embedded store and against a trivial model
 * (one Map snapshot per revision), checking every answer, the watch streams, compaction and recovery.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStorageError, type KeyValue, type Store, type StoreEvent } from '../types.ts';
import { createEmbeddedStore } from './embedded-store.ts';

type Op =
  | { op: 'create' | 'update' | 'delete'; key: string; value: string; isStale: boolean }
  | { op: 'get' | 'list'; key: string; back: number; limit: number }
  | { op: 'compact'; back: number };

const keyArb = fc.constantFrom('/m/a', '/m/b', '/m/c/1', '/m/c/2', '/n/x');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constantFrom('create', 'update', 'delete'),
      key: keyArb,
      value: fc.string({ maxLength: 8 }),
      isStale: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constantFrom('get', 'list'), key: keyArb, back: fc.nat(12), limit: fc.nat(3) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('compact'), back: fc.nat(6) }) },
);

interface Model {
  states: Map<string, KeyValue>[];
  events: { type: 'put' | 'delete'; key: string; value: string; modRevision: number }[];
  compacted: number;
}

const text = (value: Uint8Array) => new TextDecoder().decode(value);
const view = (kv: KeyValue | undefined) =>
  kv && {
    key: kv.key,
    value: text(kv.value),
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
  };

async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    if (isStorageError(err)) return err.reason;
    throw err;
  }
}

/** Applies one write to the model; returns the StorageError reason the store must give, if any. */
function applyWrite(model: Model, op: Extract<Op, { key: string; isStale: boolean }>): string | undefined {
  const current = model.states.at(-1)!;
  const existing = current.get(op.key);
  const revision = model.states.length;
  const next = new Map(current);
  if (op.op === 'create') {
    if (existing) return 'AlreadyExists';
    next.set(op.key, {
      key: op.key,
      value: new TextEncoder().encode(op.value),
      createRevision: revision,
      modRevision: revision,
      version: 1,
    });
  } else {
    if (!existing) return 'NotFound';
    if (op.isStale) return 'Conflict';
    if (op.op === 'update')
      next.set(op.key, {
        ...existing,
        value: new TextEncoder().encode(op.value),
        modRevision: revision,
        version: existing.version + 1,
      });
    else next.delete(op.key);
  }
  model.states.push(next);
  const value = op.op === 'delete' ? text(existing!.value) : op.value;
  model.events.push({ type: op.op === 'delete' ? 'delete' : 'put', key: op.key, value, modRevision: revision });
  return undefined;
}

async function run(store: Store, model: Model, op: Op, beforeCompact: () => Promise<void>): Promise<void> {
  const head = model.states.length - 1;
  switch (op.op) {
    case 'create':
    case 'update':
    case 'delete': {
      const existing = model.states.at(-1)!.get(op.key);
      const expect_ = existing ? existing.modRevision - (op.isStale ? 1 : 0) : 1;
      const expected = applyWrite(model, op);
      const call =
        op.op === 'create'
          ? store.create(op.key, new TextEncoder().encode(op.value))
          : op.op === 'update'
            ? store.update(op.key, new TextEncoder().encode(op.value), expect_)
            : store.delete(op.key, op.isStale || existing === undefined ? expect_ : undefined);
      expect(await reasonOf(call)).toBe(expected);
      expect(await store.currentRevision()).toBe(model.states.length - 1);
      return;
    }
    case 'get':
    case 'list': {
      const at = head - op.back;
      if (at < 0) return;
      if (at < model.compacted) {
        expect(await reasonOf(store.get(op.key, at))).toBe('TooOld');
        return;
      }
      const state = model.states[at]!;
      if (op.op === 'get') {
        expect(view((await store.get(op.key, at)).kv)).toEqual(view(state.get(op.key)));
        return;
      }
      const prefix = op.key.slice(0, op.key.lastIndexOf('/') + 1);
      const all = [...state.values()]
        .filter((kv) => kv.key.startsWith(prefix))
        .sort((x, y) => (x.key < y.key ? -1 : 1));
      const limit = op.limit === 0 ? undefined : op.limit;
      const listed = await store.list(prefix, { atRevision: at, limit });
      expect(listed.revision).toBe(at);
      expect(listed.kvs.map(view)).toEqual(all.slice(0, limit ?? all.length).map(view));
      expect(listed.more).toBe(limit !== undefined && all.length > limit);
      return;
    }
    case 'compact': {
      const to = head - op.back;
      if (to <= model.compacted) return;
      // A watcher still behind the compaction point is cancelled (as etcd does); the live watcher
      // under test must keep up, so let it catch up first.
      await beforeCompact();
      await store.compact(to);
      model.compacted = to;
      expect(await store.compactedRevision()).toBe(to);
      return;
    }
  }
}

/** Watches from `after` until the committed head, returning what arrived. */
async function watchUntil(store: Store, prefix: string, after: number, head: number): Promise<StoreEvent[]> {
  const events: StoreEvent[] = [];
  if (after >= head) return events;
  const controller = new AbortController();
  for await (const batch of store.watch(prefix, after, { signal: controller.signal })) {
    events.push(...batch.events);
    if (batch.revision >= head) controller.abort();
  }
  return events;
}

const eventView = (e: StoreEvent) => ({
  type: e.type,
  key: e.kv.key,
  value: text(e.kv.value),
  modRevision: e.kv.modRevision,
});

describe('embedded store against a Map model', () => {
  it('answers every random operation sequence as the model does, watches included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), fc.nat(30), async (ops, watchBack) => {
        const dataDir = mkdtempSync(join(tmpdir(), 'wharf-model-'));
        try {
          const store = await createEmbeddedStore({ dataDir });
          const model: Model = { states: [new Map()], events: [], compacted: 0 };
          const controller = new AbortController();
          const live: StoreEvent[] = [];
          const liveDone = (async () => {
            for await (const batch of store.watch('/m/', 0, { signal: controller.signal })) live.push(...batch.events);
          })();
          const caughtUp = async () => {
            while (live.length < model.events.filter((e) => e.key.startsWith('/m/')).length)
              await new Promise((r) => setTimeout(r, 1));
          };
          for (const op of ops) await run(store, model, op, caughtUp);
          const head = model.states.length - 1;
          // The live watch started before any write must have seen all of them, in order.
          await caughtUp();
          controller.abort();
          await liveDone;
          const expectedUnderM = model.events.filter((e) => e.key.startsWith('/m/'));
          expect(live.map(eventView)).toEqual(expectedUnderM);
          // A watch from a random retained revision replays exactly the events after it.
          const after = Math.max(model.compacted, head - watchBack);
          const replayed = await watchUntil(store, '/', after, head);
          expect(replayed.map(eventView)).toEqual(model.events.filter((e) => e.modRevision > after));
          // Reopening the durable file reproduces the current state and revision.
          await store.close();
          const reopened = await createEmbeddedStore({ dataDir });
          expect(await reopened.currentRevision()).toBe(head);
          const expectedNow = [...model.states[head]!.values()].sort((x, y) => (x.key < y.key ? -1 : 1));
          expect((await reopened.list('/')).kvs.map(view)).toEqual(expectedNow.map(view));
          await reopened.close();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
