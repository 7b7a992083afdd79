import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate } from '../pki/certificate.ts';
import { loadOrCreatePki, type Pki } from '../pki/load-or-create-pki.ts';
import { type RunningServer, type ServerBindings, startServer } from './server.ts';

let dataDir: string;
let pki: Pki;
let server: RunningServer;

// Echoes which client certificate the server passed on, if any.
const whoami = (_request: Request, env: ServerBindings) =>
  Response.json({ commonName: env.peerCertificate?.subject.CN ?? null });

function get(options: { cert?: string; key?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${server.url}/whoami`, { ca: pki.caCertificate, ...options }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wharf-server-'));
  pki = loadOrCreatePki(dataDir, { host: '127.0.0.1' });
  server = await startServer({
    fetch: whoami,
    host: '127.0.0.1',
    port: 0,
    tls: { key: pki.serving.key, cert: pki.serving.certificate, ca: pki.caCertificate },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('startServer over TLS', () => {
  it('passes on a client certificate signed by the cluster CA', async () => {
    const response = await get({ cert: pki.admin.certificate, key: pki.admin.key });
    expect(JSON.parse(response.body)).toEqual({ commonName: 'kubernetes-admin' });
  });

  it('lets clients without a certificate connect, with no identity', async () => {
    expect(JSON.parse((await get({})).body)).toEqual({ commonName: null });
  });

  it('answers 401 to a certificate from another CA, whatever its subject', async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const cert = createCertificate({
      subject: { commonName: 'kubernetes-admin', organizations: ['system:masters'] },
      publicKey: createPublicKey(key),
      signingKey: key,
      role: 'client',
      validDays: 1,
    });
    const keyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    const response = await get({ cert, key: keyPem });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('reports the port it picked and an https URL', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
  });
});

describe('startServer over plain HTTP', () => {
  it('serves the handler', async () => {
    const plain = await startServer({ fetch: () => new Response('ok'), host: '127.0.0.1', port: 0 });
    try {
      expect(await (await fetch(`${plain.url}/`)).text()).toBe('ok');
    } finally {
      await plain.close();
    }
  });
});

describe('RunningServer.close', () => {
  it('does not wait for a client still in its TLS handshake', async () => {
    const tls = await startServer({
      fetch: whoami,
      host: '127.0.0.1',
      port: 0,
      tls: { key: pki.serving.key, cert: pki.serving.certificate, ca: pki.caCertificate },
    });
    // A TCP connection that never sends its ClientHello: the TLS layer would wait 120 s for it.
    const silent = connect(tls.port, '127.0.0.1');
    await new Promise<void>((resolve) => silent.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    silent.on('error', () => undefined);
    const started = Date.now();
    await tls.close();
    await closed;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('ends responses that are still streaming, as a watch does', async () => {
    const endless = await startServer({
      fetch: () => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{}\n')) })),
      host: '127.0.0.1',
      port: 0,
    });
    const response = await fetch(`${endless.url}/watch`);
    const reader = response.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe('{}\n');
    const started = Date.now();
    await endless.close();
    await expect(reader?.read()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
