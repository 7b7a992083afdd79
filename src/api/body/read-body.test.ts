import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../server.ts';
import { type RealApp, realApp } from '../testing/real-app.ts';
import { maxRequestBodyBytes } from './read-body.ts';

let t: RealApp;
let server: RunningServer;
beforeAll(async () => {
  t = await realApp();
  server = await startServer({ host: '127.0.0.1', port: 0, fetch: (r, env) => t.app.fetch(r, env) });
});
afterAll(async () => {
  await server.close();
  await t.close();
});

/** A POST over a real socket, written in pieces: with Content-Length, or chunked when `length` is absent. */
function post(path: string, pieces: string[], length?: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (length !== undefined) headers['Content-Length'] = String(length);
    const req = request(`${server.url}${path}`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const write = (i: number) => {
      if (i === pieces.length) return void req.end();
      req.write(pieces[i]);
      setTimeout(() => write(i + 1), 5);
    };
    write(0);
  });
}

const configMap = (name: string, data = 'v') => JSON.stringify({ metadata: { name }, data: { k: data } });

describe('request bodies over HTTP', () => {
  it('are read whole with a Content-Length, even when they arrive in pieces', async () => {
    const text = configMap('sized');
    const res = await post('/api/v1/namespaces/default/configmaps', [text.slice(0, 10), text.slice(10)], text.length);
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body).data).toEqual({ k: 'v' });
  });

  it('are read whole when chunked, and 413 once a chunked body passes the limit', async () => {
    const text = configMap('chunked');
    const ok = await post('/api/v1/namespaces/default/configmaps', [text.slice(0, 7), text.slice(7)]);
    expect(ok.status).toBe(201);
    const big = configMap('huge', 'x'.repeat(maxRequestBodyBytes));
    const refused = await post('/api/v1/namespaces/default/configmaps', [big.slice(0, 1 << 20), big.slice(1 << 20)]);
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body).reason).toBe('RequestEntityTooLarge');
  });

  it('over the declared limit are 413 before any byte is read', async () => {
    const res = await post('/api/v1/namespaces/default/configmaps', [], maxRequestBodyBytes + 1);
    expect(res.status).toBe(413);
  });
});
