import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamThresholdBytes } from './respond.ts';
import { type RunningServer, startServer } from './server.ts';
import { type RealApp, realApp } from './testing/real-app.ts';

let t: RealApp;
let server: RunningServer;
const count = 90;
const admin = { user: { username: 'test', groups: ['system:masters'] } };

beforeAll(async () => {
  t = await realApp();
  server = await startServer({ host: '127.0.0.1', port: 0, fetch: (request, env) => t.app.fetch(request, env) });
  const def = t.registry.resources.lookup('', 'v1', 'configmaps');
  if (!def) throw new Error('no configmaps');
  // 90 × 100 KiB: past the size at which a list is streamed instead of built as one buffer.
  for (let i = 0; i < count; i++) {
    const name = `big-${String(i).padStart(2, '0')}`;
    await t.registry.create(def, 'default', { metadata: { name }, data: { blob: 'x'.repeat(100 * 1024) } }, admin);
  }
});
afterAll(async () => {
  await server.close();
  await t.close();
});

describe('large list responses', () => {
  it('stream every item with the declared Content-Length', async () => {
    const response = await fetch(`${server.url}/api/v1/namespaces/default/configmaps`, {
      headers: { Accept: 'application/json', 'Accept-Encoding': 'identity' },
    });
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.byteLength).toBeGreaterThan(streamThresholdBytes);
    expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(response.headers.get('content-encoding')).toBeNull();
    const list = JSON.parse(bytes.toString()) as {
      kind: string;
      metadata: { resourceVersion: string };
      items: { metadata: { name: string; resourceVersion: string }; data: { blob: string } }[];
    };
    expect(list.kind).toBe('ConfigMapList');
    expect(list.items.map((i) => i.metadata.name)).toEqual(
      Array.from({ length: count }, (_, i) => `big-${String(i).padStart(2, '0')}`),
    );
    for (const item of list.items) {
      expect(Number(item.metadata.resourceVersion)).toBeGreaterThan(0);
      expect(item.data.blob).toHaveLength(100 * 1024);
    }
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(list.items[count - 1]?.metadata.resourceVersion),
    );
  });

  it('are gzipped whole when the client accepts gzip, with the same content', async () => {
    const plain = await (await fetch(`${server.url}/api/v1/namespaces/default/configmaps`)).text();
    const { request } = await import('node:http');
    const zipped = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      request(
        `${server.url}/api/v1/namespaces/default/configmaps`,
        { headers: { 'Accept-Encoding': 'gzip' } },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
        },
      )
        .on('error', reject)
        .end();
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.byteLength).toBeLessThan(streamThresholdBytes);
    expect(JSON.parse(gunzipSync(zipped.body).toString()).items).toHaveLength(count);
    expect(JSON.parse(plain).items).toHaveLength(count);
  });

  it('stop producing when the client goes away mid-body, and the server keeps serving', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/v1/namespaces/default/configmaps`, { signal: controller.signal });
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    const again = await fetch(`${server.url}/api/v1/namespaces/default/configmaps?limit=2`);
    expect(((await again.json()) as { items: unknown[] }).items).toHaveLength(2);
  });
});
