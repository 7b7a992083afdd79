import { once } from 'node:events';
import { MessageChannel, threadId, Worker } from 'node:worker_threads';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { admin, newTestRegistry } from '../registry/testing/test-registry.ts';
import { isStatusError, StatusError } from '../status.ts';
import type { KubeObject } from '../types/meta.ts';
import { createLocalClient } from './local-client.ts';
import { createPortClient } from './port-client.ts';
import { type PortReply, servePort } from './port-server.ts';
import { configMaps } from './resources.ts';
import type { PortWorkerData, PortWorkerResult } from './testing/port-worker.ts';
import type { ClientWatchEvent, KubeClient, ResourceClient, ResourceRef } from './types.ts';

/** What the server-side client saw of its watches: how many are running and what came after an abort. */
interface WatchSpy {
  open: number;
  signals: AbortSignal[];
  yieldedAfterAbort: number;
}

/** Wraps a client so a test can see the server side of each watch the port server runs. */
function spyOnWatches(inner: KubeClient, spy: WatchSpy): KubeClient {
  async function* counted<T extends KubeObject>(events: AsyncIterable<ClientWatchEvent<T>>, signal: AbortSignal) {
    spy.open++;
    try {
      for await (const event of events) {
        if (signal.aborted) spy.yieldedAfterAbort++;
        yield event;
      }
    } finally {
      spy.open--;
    }
  }
  return {
    serverResources: () => inner.serverResources(),
    resource<T extends KubeObject>(ref: ResourceRef<T>): ResourceClient<T> {
      const resource = inner.resource(ref);
      return {
        ...resource,
        watch(o) {
          spy.signals.push(o.signal);
          return counted(resource.watch(o), o.signal);
        },
      };
    },
  };
}

/** A registry, its sharedReads local client served on one end of a MessageChannel, a port client on the other. */
async function connect(wrap: (local: KubeClient) => KubeClient = (local) => local) {
  const { registry, store } = await newTestRegistry();
  const local = createLocalClient(registry, admin.user, { sharedReads: true });
  const { port1, port2 } = new MessageChannel();
  const server = servePort(port1, wrap(local));
  const client = createPortClient(port2);
  onTestFinished(() => {
    client.close();
    server.close();
    port1.close();
  });
  return { store, local, client, server, port1, port2 };
}

function configMap(name: string, data: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, the call succeeded');
    },
    (err: unknown) => err,
  );
}

describe('port client', () => {
  it('rebuilds a StatusError with the server’s whole Status: code, reason, message, details', async () => {
    const { local, client } = await connect();
    const direct = await rejection(local.resource(configMaps).get('nope', 'default'));
    const err = await rejection(client.resource(configMaps).get('nope', 'default'));
    expect(isStatusError(err) && err.code === 404).toBe(true);
    const status = (err as StatusError).status;
    expect(status).toEqual((direct as StatusError).status);
    expect(status).toMatchObject({ reason: 'NotFound', message: 'configmaps "nope" not found' });
    expect(status.details).toEqual({ name: 'nope', kind: 'configmaps' });
  });

  it('turns any other error into an Error with the same message', async () => {
    const { client } = await connect((local) => ({
      ...local,
      resource: (ref) => ({
        ...local.resource(ref),
        get: () => Promise.reject(new TypeError('boom')),
      }),
    }));
    const err = await rejection(client.resource(configMaps).get('a', 'default'));
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(StatusError);
    expect((err as Error).message).toBe('boom');
  });

  it('answers a reply structured clone refuses with an error instead of leaving the call pending', async () => {
    const { client } = await connect((local) => ({
      ...local,
      resource: (ref) => ({ ...local.resource(ref), createSubresource: async () => ({ callback() {} }) }),
    }));
    const err = await rejection(client.resource(configMaps).createSubresource('a', 'default', 'x', {}));
    expect((err as Error).message).toMatch(/^cannot send the reply: /);
  });

  it('ends a watch quietly when the worker aborts it, and the server’s watch stops', async () => {
    const spy: WatchSpy = { open: 0, signals: [], yieldedAfterAbort: 0 };
    const { client, port2 } = await connect((local) => spyOnWatches(local, spy));
    let eventsPosted = 0;
    port2.on('message', (m: PortReply) => {
      if (m.kind === 'event') eventsPosted++;
    });
    const list = await client.resource(configMaps).list({ namespace: 'default' });
    const stop = new AbortController();
    const events = client.resource(configMaps).watch({
      namespace: 'default',
      resourceVersion: list.metadata.resourceVersion,
      signal: stop.signal,
    });
    const seen: string[] = [];
    await client.resource(configMaps).create(configMap('a'));
    for await (const e of events) {
      seen.push(`${e.type} ${e.object.metadata.name}`);
      stop.abort();
    }
    expect(seen).toEqual(['ADDED a']);
    await vi.waitFor(() => expect(spy.open).toBe(0));
    expect(spy.signals.map((s) => s.aborted)).toEqual([true]);
    const postedAtAbort = eventsPosted;
    await client.resource(configMaps).create(configMap('b'));
    await client.resource(configMaps).get('b', 'default');
    expect(eventsPosted).toBe(postedAtAbort);
    expect(spy.yieldedAfterAbort).toBe(0);
  });

  it('stops the server’s watch when the consumer breaks out of the loop', async () => {
    const spy: WatchSpy = { open: 0, signals: [], yieldedAfterAbort: 0 };
    const { client } = await connect((local) => spyOnWatches(local, spy));
    await client.resource(configMaps).create(configMap('a'));
    const stop = new AbortController();
    for await (const _ of client.resource(configMaps).watch({ namespace: 'default', signal: stop.signal })) break;
    await vi.waitFor(() => expect(spy.open).toBe(0));
    expect(spy.signals[0]?.aborted).toBe(true);
  });

  it('delivers a burst of events in order', async () => {
    const { client } = await connect();
    const list = await client.resource(configMaps).list({ namespace: 'default' });
    const stop = new AbortController();
    const names = Array.from({ length: 200 }, (_, i) => `cm-${i}`);
    for (const name of names) await client.resource(configMaps).create(configMap(name));
    const seen: string[] = [];
    // Every event is queued before the loop starts reading: the queue must hand them out in order.
    for await (const e of client.resource(configMaps).watch({
      namespace: 'default',
      resourceVersion: list.metadata.resourceVersion,
      signal: stop.signal,
    })) {
      seen.push(e.object.metadata.name ?? '');
      if (seen.length === names.length) stop.abort();
    }
    expect(seen).toEqual(names);
  });

  it('throws the server’s 410 Expired from a watch on a compacted resourceVersion', async () => {
    const { store, client } = await connect();
    const created = await client.resource(configMaps).create(configMap('a', { k: '0' }));
    let latest = created;
    for (const k of ['1', '2', '3']) latest = await client.resource(configMaps).update({ ...latest, data: { k } });
    await store.compact(Number(latest.metadata.resourceVersion));
    const stop = new AbortController();
    const err = await rejection(
      (async () => {
        for await (const _ of client.resource(configMaps).watch({
          namespace: 'default',
          resourceVersion: created.metadata.resourceVersion,
          signal: stop.signal,
        }));
      })(),
    );
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(410);
    expect((err as StatusError).reason).toBe('Expired');
  });

  it('close() rejects pending calls, ends open watches quietly and stops them on the server', async () => {
    const spy: WatchSpy = { open: 0, signals: [], yieldedAfterAbort: 0 };
    const { client } = await connect((local) => spyOnWatches(local, spy));
    const stop = new AbortController();
    const watching = (async () => {
      const types: string[] = [];
      for await (const e of client.resource(configMaps).watch({ namespace: 'default', signal: stop.signal })) {
        types.push(e.type);
      }
      return types;
    })();
    await vi.waitFor(() => expect(spy.open).toBe(1));
    const pending = client.resource(configMaps).get('a', 'default');
    client.close();
    expect(((await rejection(pending)) as Error).message).toBe('port client: closed');
    expect(await watching).toEqual([]);
    await vi.waitFor(() => expect(spy.open).toBe(0));
    expect(((await rejection(client.resource(configMaps).list())) as Error).message).toBe('port client: closed');
  });

  it('fails pending calls and watches when the port closes, and the server aborts its watches', async () => {
    const spy: WatchSpy = { open: 0, signals: [], yieldedAfterAbort: 0 };
    const { client, port1 } = await connect((local) => spyOnWatches(local, spy));
    const stop = new AbortController();
    const watching = rejection(
      (async () => {
        for await (const _ of client.resource(configMaps).watch({ namespace: 'default', signal: stop.signal }));
      })(),
    );
    await vi.waitFor(() => expect(spy.open).toBe(1));
    const pending = client.resource(configMaps).get('a', 'default');
    // What the main thread sees when the worker exits: its end of the channel closes.
    port1.close();
    expect(((await rejection(pending)) as Error).message).toBe('port client: the port was closed');
    expect(((await watching) as Error).message).toBe('port client: the port was closed');
    await vi.waitFor(() => expect(spy.open).toBe(0));
    expect(spy.signals[0]?.aborted).toBe(true);
  });

  it('serves a port client running in a real worker thread', async () => {
    const { local } = await connect();
    const { port1, port2 } = new MessageChannel();
    const server = servePort(port1, local);
    onTestFinished(() => server.close());
    const workerData: PortWorkerData = {
      tsEntry: new URL('./testing/port-worker.ts', import.meta.url).href,
      port: port2,
      namespace: 'default',
    };
    // A Worker is plain Node, outside vitest's transform, and Node 20 cannot load .ts there even with
    // execArgv ['--import', 'tsx'] (see ts-worker.mjs): the entry is a JavaScript file that loads the
    // TypeScript one through tsx's API.
    const worker = new Worker(new URL('./testing/ts-worker.mjs', import.meta.url), {
      workerData,
      transferList: [port2],
    });
    // 'exit' by a listener, not events.once: once() would also reject on 'error', unhandled.
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    const [result] = (await once(worker, 'message')) as [PortWorkerResult];
    if (!result.ok) throw new Error(result.message);
    expect(result.threadId).not.toBe(threadId);
    expect(result.missingCode).toBe(404);
    expect(result.got).toMatchObject({ metadata: { name: 'from-worker' }, data: { thread: String(result.threadId) } });
    expect(result.got).toEqual(result.created);
    expect(await local.resource(configMaps).get('from-worker', 'default')).toEqual(result.got);
    // close() in the worker removed its listener, so the thread ends by itself.
    expect(await exited).toBe(0);
  });
});
