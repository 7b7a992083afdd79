import { describe, expect, it } from 'vitest';
import type { ClientWatchEvent, ListOptions, ResourceClient, WatchOptions } from '../../client/types.ts';
import { resourceVersionTooOld } from '../../status.ts';
import type { KubeList, KubeObject } from '../../types/meta.ts';
import { byNodeName } from './cache.ts';
import { createFakeClock, flushPromises } from './fake-clock.ts';
import { createInformer } from './informer.ts';

function pod(name: string, resourceVersion: string, nodeName?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', resourceVersion },
    spec: nodeName ? { nodeName } : {},
  };
}

/** A scripted server: lists come from `lists`, each watch is a stream the test pushes into. */
function scriptedClient(lists: KubeObject[][]) {
  const listCalls: ListOptions[] = [];
  const watchCalls: WatchOptions[] = [];
  const streams: Array<{ push(e: ClientWatchEvent | Error | 'end'): void }> = [];
  let revision = 10;
  const client = {
    async list(o: ListOptions = {}): Promise<KubeList> {
      listCalls.push(o);
      const items = lists.shift() ?? [];
      return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: String(revision++) }, items };
    },
    watch(o: WatchOptions): AsyncIterable<ClientWatchEvent> {
      watchCalls.push(o);
      const queue: Array<ClientWatchEvent | Error | 'end'> = [];
      let wake: (() => void) | undefined;
      streams.push({
        push(e) {
          queue.push(e);
          wake?.();
        },
      });
      return (async function* () {
        for (;;) {
          while (queue.length === 0) {
            if (o.signal.aborted) return;
            await new Promise<void>((r) => {
              wake = r;
              o.signal.addEventListener('abort', () => r(), { once: true });
            });
          }
          const e = queue.shift()!;
          if (e === 'end') return;
          if (e instanceof Error) throw e;
          yield e;
        }
      })();
    },
  } as unknown as ResourceClient;
  return { client, listCalls, watchCalls, streams };
}

describe('informer', () => {
  it('lists, then watches from the list resourceVersion with bookmarks, and fills the cache', async () => {
    const s = scriptedClient([[pod('a', '5', 'n1'), pod('b', '6', 'n2')]]);
    const informer = createInformer(s.client, { clock: createFakeClock(), freeze: true, fieldSelector: 'x=y' });
    informer.addIndex('nodeName', byNodeName);
    const added: string[] = [];
    informer.addHandlers({ onAdd: (o) => added.push(o.metadata.name!) });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    await flushPromises();
    expect(informer.hasSynced()).toBe(true);
    expect(added).toEqual(['a', 'b']);
    expect(s.listCalls[0]).toEqual({ fieldSelector: 'x=y' });
    expect(s.watchCalls[0]).toMatchObject({ resourceVersion: '10', allowWatchBookmarks: true, fieldSelector: 'x=y' });
    expect(informer.byIndex('nodeName', 'n1').map((o) => o.metadata.name)).toEqual(['a']);
    expect(Object.isFrozen(informer.get('default/a')?.metadata)).toBe(true);
    stop.abort();
    await running;
  });

  it('delivers watch events to handlers and keeps indexes current', async () => {
    const s = scriptedClient([[pod('a', '5', 'n1')]]);
    const informer = createInformer(s.client, { clock: createFakeClock() });
    informer.addIndex('nodeName', byNodeName);
    const log: string[] = [];
    informer.addHandlers({
      onAdd: (o) => log.push(`add ${o.metadata.name}`),
      onUpdate: (old, o) => log.push(`update ${old.metadata.resourceVersion}->${o.metadata.resourceVersion}`),
      onDelete: (o) => log.push(`delete ${o.metadata.name}`),
    });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    await flushPromises();
    s.streams[0]!.push({ type: 'MODIFIED', object: pod('a', '11', 'n2') });
    s.streams[0]!.push({ type: 'ADDED', object: pod('c', '12') });
    s.streams[0]!.push({ type: 'DELETED', object: pod('c', '13') });
    await flushPromises();
    expect(log).toEqual(['add a', 'update 5->11', 'add c', 'delete c']);
    expect(informer.byIndex('nodeName', 'n1')).toEqual([]);
    expect(informer.byIndex('nodeName', 'n2').length).toBe(1);
    stop.abort();
    await running;
  });

  it('resumes a cleanly ended watch from the last resourceVersion, bookmarks included', async () => {
    const s = scriptedClient([[]]);
    const informer = createInformer(s.client, { clock: createFakeClock() });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    await flushPromises();
    s.streams[0]!.push({
      type: 'BOOKMARK',
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { resourceVersion: '42' } },
    });
    s.streams[0]!.push('end');
    await flushPromises();
    expect(s.listCalls.length).toBe(1);
    expect(s.watchCalls[1]?.resourceVersion).toBe('42');
    expect(informer.list()).toEqual([]);
    stop.abort();
    await running;
  });

  it('re-lists at once on 410 Expired and reports only the differences', async () => {
    const s = scriptedClient([
      [pod('a', '5'), pod('b', '6')],
      [pod('a', '5'), pod('c', '20')],
    ]);
    const informer = createInformer(s.client, { clock: createFakeClock() });
    const log: string[] = [];
    informer.addHandlers({
      onAdd: (o) => log.push(`add ${o.metadata.name}`),
      onUpdate: (_old, o) => log.push(`update ${o.metadata.name}`),
      onDelete: (o) => log.push(`delete ${o.metadata.name}`),
    });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    await flushPromises();
    s.streams[0]!.push(resourceVersionTooOld(10, 15));
    await flushPromises();
    expect(s.listCalls.length).toBe(2);
    expect(log).toEqual(['add a', 'add b', 'add c', 'delete b']);
    expect(
      informer
        .list()
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['a', 'c']);
    stop.abort();
    await running;
  });

  it('backs off before re-listing after other errors', async () => {
    const clock = createFakeClock();
    const s = scriptedClient([[], []]);
    const errors: unknown[] = [];
    const informer = createInformer(s.client, { clock, onError: (e) => errors.push(e) });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    await flushPromises();
    s.streams[0]!.push(new Error('connection reset'));
    await flushPromises();
    expect(errors.length).toBe(1);
    expect(s.listCalls.length).toBe(1);
    await clock.advance(800);
    expect(s.listCalls.length).toBe(2);
    stop.abort();
    await running;
  });

  it('starts the backoff over once a list succeeds again', async () => {
    const clock = createFakeClock();
    const s = scriptedClient([[], [], []]);
    const informer = createInformer(s.client, { clock, onError: () => {} });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    await flushPromises();
    s.streams[0]!.push(new Error('reset'));
    await clock.advance(800);
    expect(s.listCalls.length).toBe(2);
    s.streams[1]!.push(new Error('reset again'));
    await clock.advance(800);
    expect(s.listCalls.length).toBe(3);
    stop.abort();
    await running;
  });

  it('replays existing objects to a handler added late', async () => {
    const s = scriptedClient([[pod('a', '5')]]);
    const informer = createInformer(s.client, { clock: createFakeClock() });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    const added: string[] = [];
    informer.addHandlers({ onAdd: (o) => added.push(o.metadata.name!) });
    expect(added).toEqual(['a']);
    stop.abort();
    await running;
  });
});
