import { type IncomingMessage, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../types/meta.ts';
import { type RunningServer, startServer } from './server.ts';
import { json, type TestApp, testApp } from './testing/test-app.ts';
import { encodeEventLine } from './watch.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function listen(t: TestApp): Promise<RunningServer> {
  server = await startServer({ fetch: t.app.fetch, host: '127.0.0.1', port: 0 });
  return server;
}

/** Opens a raw HTTP watch; resolves on the response head, before any body byte. */
function openWatch(s: RunningServer, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ res: IncomingMessage; lines: () => Promise<string>; close: () => void }>((resolve, reject) => {
    const req = request({ host: s.host, port: s.port, path, headers }, (res) => {
      let buffered = '';
      const waiting: ((line: string) => void)[] = [];
      const ready: string[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          const waiter = waiting.shift();
          if (waiter) waiter(line);
          else ready.push(line);
          nl = buffered.indexOf('\n');
        }
      });
      resolve({
        res,
        lines: () => {
          const line = ready.shift();
          return line !== undefined ? Promise.resolve(line) : new Promise((r) => waiting.push(r));
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
    req.end();
  });
}

describe('watch streams over a socket', () => {
  it('sends headers before the first event, then newline-delimited events', async () => {
    const t = testApp();
    const s = await listen(t);
    const w = await openWatch(s, '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1');
    // The head arrived although no event exists yet.
    expect(w.res.statusCode).toBe(200);
    expect(w.res.headers['content-type']).toBe('application/json');
    expect(w.res.headers['content-length']).toBeUndefined();
    expect(w.res.headers['transfer-encoding']).toBe('chunked');
    await t.request('POST', '/api/v1/namespaces/default/configmaps', json({ metadata: { name: 'late' } }));
    const event = JSON.parse(await w.lines());
    expect(event).toMatchObject({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'late' } } });
    w.close();
  });

  it('aborts the registry watch when the client disconnects', async () => {
    const t = testApp();
    const s = await listen(t);
    const w = await openWatch(s, '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1');
    const signal = t.registry.watchSignals[0] as AbortSignal;
    expect(signal.aborted).toBe(false);
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    w.close();
    await aborted;
    expect(signal.aborted).toBe(true);
  });

  it('ends the stream cleanly after timeoutSeconds', async () => {
    const t = testApp();
    const s = await listen(t);
    const w = await openWatch(s, '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1&timeoutSeconds=1');
    await new Promise<void>((resolve) => w.res.on('end', resolve));
    expect(t.registry.watchSignals[0]?.aborted).toBe(true);
  });

  it('streams one-row Tables with columnDefinitions only in the first event', async () => {
    const t = testApp();
    await t.request('POST', '/api/v1/namespaces/default/pods', json({ metadata: { name: 'a' }, spec: {} }));
    await t.request('POST', '/api/v1/namespaces/default/pods', json({ metadata: { name: 'b' }, spec: {} }));
    const s = await listen(t);
    const w = await openWatch(s, '/api/v1/namespaces/default/pods?watch=true', {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    const first = JSON.parse(await w.lines());
    const second = JSON.parse(await w.lines());
    expect(first.object).toMatchObject({
      kind: 'Table',
      columnDefinitions: expect.any(Array),
      rows: [{ cells: ['a', '<none>'] }],
    });
    expect(second.object.columnDefinitions).toBeUndefined();
    expect(second.object.rows[0].cells[0]).toBe('b');
    w.close();
  });
});

describe('watch responses', () => {
  it('answers a Status, not a stream, when the registry refuses the watch up front', async () => {
    const t = testApp();
    const res = await t.request('GET', '/api/v1/namespaces/default/pods?watch=true&labelSelector=invalid!');
    expect(res.status).toBe(404);
    expect(t.registry.watchSignals[0]?.aborted).toBe(true);
  });

  it('validates watch-list parameters as the real server does', async () => {
    const t = testApp();
    const res = await t.request('GET', '/api/v1/namespaces/default/pods?watch=true&sendInitialEvents=true');
    expect(res.status).toBe(422);
    expect((await res.text().then(JSON.parse)).details.causes.map((c: { field: string }) => c.field)).toEqual([
      'resourceVersionMatch',
      'allowWatchBookmarks',
    ]);
  });

  it('passes watch options through', async () => {
    const t = testApp();
    const res = await t.request(
      'GET',
      '/api/v1/pods?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=300&fieldSelector=metadata.name%3Dx',
    );
    expect(res.status).toBe(200);
    await res.body?.cancel();
    expect(t.registry.calls.at(-1)?.options).toMatchObject({
      allowWatchBookmarks: true,
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      timeoutSeconds: 300,
      fieldSelector: 'metadata.name=x',
    });
  });

  it('serializes a shared event object once for every watcher', () => {
    const object: KubeObject = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p' } };
    const a = encodeEventLine({ type: 'ADDED', object });
    const b = encodeEventLine({ type: 'ADDED', object });
    expect(b).toBe(a);
    expect(new TextDecoder().decode(a)).toBe(
      '{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"}}}\n',
    );
  });
});
