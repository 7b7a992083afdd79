import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../types/meta.ts';
import { createMemoryStore, type MemoryStore } from './testing/memory-store.ts';
import { admin, newTestRegistry, statusOf } from './testing/test-registry.ts';
import type { WatchOptions } from './types.ts';

/** Collects events until `stop` says so, then aborts the watch. */
async function collect(
  stream: AsyncIterable<WatchEvent>,
  controller: AbortController,
  stop: (events: WatchEvent[]) => boolean,
) {
  const events: WatchEvent[] = [];
  for await (const e of stream) {
    events.push(e);
    if (stop(events)) controller.abort();
  }
  return events;
}

const summary = (events: WatchEvent[]) =>
  events.map(
    (e) =>
      `${e.type} ${e.object.metadata.name ?? ''}${e.type === 'BOOKMARK' ? JSON.stringify(e.object.metadata.annotations ?? {}) : ''}`,
  );

async function setup(store?: MemoryStore) {
  const t = await newTestRegistry(store ? { store } : {});
  const def = t.def('configmaps');
  const watch = (o: Partial<WatchOptions>) => {
    const controller = new AbortController();
    return { controller, stream: t.registry.watch(def, 'default', { signal: controller.signal, ...o }, admin) };
  };
  return { t, def, watch };
}

describe('watch', () => {
  it('starts with ADDED for current objects when resourceVersion is unset', async () => {
    const { t, watch } = await setup();
    await t.create('configmaps', { metadata: { name: 'a' } });
    const { controller, stream } = watch({});
    const done = collect(stream, controller, (e) => e.length === 3);
    await t.create('configmaps', { metadata: { name: 'b' } });
    await t.registry.delete(t.def('configmaps'), 'default', 'a', {}, admin);
    const events = await done;
    expect(summary(events)).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    expect(events[0]?.object.kind).toBe('ConfigMap');
    expect(events[0]?.object.apiVersion).toBe('v1');
    expect(Number(events[2]?.object.metadata.resourceVersion)).toBe(await t.store.currentRevision());
  });

  it('from a resourceVersion replays every change after it', async () => {
    const { t, def, watch } = await setup();
    const a = await t.create('configmaps', { metadata: { name: 'a' } });
    await t.registry.patch(def, 'default', 'a', 'merge', { data: { x: '1' } }, admin);
    const { controller, stream } = watch({ resourceVersion: a.metadata.resourceVersion as string });
    expect(summary(await collect(stream, controller, (e) => e.length === 1))).toEqual(['MODIFIED a']);
  });

  it('emits ADDED and DELETED when an object starts and stops matching the selector', async () => {
    const { t, def, watch } = await setup();
    await t.create('configmaps', { metadata: { name: 'a', labels: { team: 'x' } } });
    const { controller, stream } = watch({
      labelSelector: 'team=y',
      resourceVersion: String(await t.store.currentRevision()),
    });
    const done = collect(stream, controller, (e) => e.length === 3);
    await t.registry.patch(def, 'default', 'a', 'merge', { metadata: { labels: { team: 'y' } } }, admin);
    await t.registry.patch(def, 'default', 'a', 'merge', { data: { k: 'v' } }, admin);
    await t.registry.patch(def, 'default', 'a', 'merge', { metadata: { labels: { team: 'z' } } }, admin);
    const events = await done;
    expect(summary(events)).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    // The DELETED object is the last state that matched, at the revision of the change.
    expect(events[2]?.object.metadata.labels).toEqual({ team: 'y' });
    expect(Number(events[2]?.object.metadata.resourceVersion)).toBe(await t.store.currentRevision());
  });

  it('sendInitialEvents sends ADDED, then the annotated bookmark, then live events', async () => {
    const { t, watch } = await setup();
    await t.create('configmaps', { metadata: { name: 'a' } });
    const revision = await t.store.currentRevision();
    const { controller, stream } = watch({
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: true,
    });
    const done = collect(stream, controller, (e) => e.some((x) => x.object.metadata.name === 'b'));
    const events: WatchEvent[] = [];
    const iterator = (async () => {
      const got = await done;
      events.push(...got);
    })();
    await new Promise((r) => setTimeout(r, 10));
    await t.create('configmaps', { metadata: { name: 'b' } });
    await iterator;
    const withoutPeriodic = events.filter((e) => e.type !== 'BOOKMARK' || e.object.metadata.annotations);
    expect(summary(withoutPeriodic)).toEqual(['ADDED a', 'BOOKMARK {"k8s.io/initial-events-end":"true"}', 'ADDED b']);
    expect(withoutPeriodic[1]?.object.metadata.resourceVersion).toBe(String(revision));
  });

  it('rejects sendInitialEvents without resourceVersionMatch=NotOlderThan before streaming', async () => {
    const { watch } = await setup();
    const s = await statusOf((async () => watch({ sendInitialEvents: true }))());
    expect(s.code).toBe(422);
    expect(s.causes).toEqual([
      {
        reason: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        message: 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      },
    ]);
  });

  it('sends bookmarks when asked', async () => {
    const { t, watch } = await setup();
    const { controller, stream } = watch({
      allowWatchBookmarks: true,
      resourceVersion: String(await t.store.currentRevision()),
    });
    const events = await collect(stream, controller, (e) => e.length === 1);
    expect(events[0]).toEqual({
      type: 'BOOKMARK',
      object: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(await t.store.currentRevision()) },
      },
    });
  });

  it('from a compacted revision sends one ERROR 410 and ends', async () => {
    const { t, watch } = await setup();
    await t.create('configmaps', { metadata: { name: 'a' } });
    const current = await t.store.currentRevision();
    await t.store.compact(current);
    const { controller, stream } = watch({ resourceVersion: '2' });
    const events = await collect(stream, controller, () => false);
    expect(events).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: 2 (${current})`,
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
  });

  it('a watcher the store drops gets ERROR 410', async () => {
    const memory = createMemoryStore();
    const { t, watch } = await setup(memory);
    const { controller, stream } = watch({ resourceVersion: String(await t.store.currentRevision()) });
    const done = collect(stream, controller, () => false);
    await new Promise((r) => setTimeout(r, 5));
    memory.dropWatchers();
    const events = await done;
    expect(events.map((e) => [e.type, (e.object as unknown as { code: number }).code])).toEqual([['ERROR', 410]]);
  });

  it('timeoutSeconds ends the stream cleanly', async () => {
    const { t, watch } = await setup();
    const { controller, stream } = watch({
      timeoutSeconds: 0.05,
      resourceVersion: String(await t.store.currentRevision()),
    });
    expect(await collect(stream, controller, () => false)).toEqual([]);
  });

  it('shares one frozen object per change across watchers', async () => {
    const { t, watch } = await setup();
    const rv = String(await t.store.currentRevision());
    const one = watch({ resourceVersion: rv });
    const two = watch({ resourceVersion: rv });
    const a = collect(one.stream, one.controller, (e) => e.length === 1);
    const b = collect(two.stream, two.controller, (e) => e.length === 1);
    await t.create('configmaps', { metadata: { name: 'x' } });
    const [ea, eb] = await Promise.all([a, b]);
    expect(ea[0]?.object).toBe(eb[0]?.object);
    expect(Object.isFrozen(ea[0]?.object)).toBe(true);
  });
});
