import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreatePki, type Pki } from '../pki/load-or-create-pki.ts';
import { isStatusError, notFound, resourceVersionTooOld, type StatusError } from '../status.ts';
import { createHttpClient } from './http-client.ts';
import { toStatusError } from './http-errors.ts';
import { queryString, resourcePath } from './http-paths.ts';
import { loadKubeconfig } from './kubeconfig.ts';
import { configMaps, deployments, namespaces } from './resources.ts';
import { jsonLines } from './watch-lines.ts';

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

describe('jsonLines', () => {
  it('parses events split anywhere across chunks, even inside a multi-byte character', async () => {
    const text = '{"type":"ADDED","object":{"v":"é"}}\n{"type":"DELETED","object":{}}\n';
    const bytes = new TextEncoder().encode(text);
    const cut = bytes.indexOf(0xc3) + 1;
    const out: unknown[] = [];
    for await (const line of jsonLines(
      streamOf([bytes.slice(0, 5), bytes.slice(5, cut), bytes.slice(cut)]),
      new AbortController().signal,
    ))
      out.push(line);
    expect(out).toEqual([
      { type: 'ADDED', object: { v: 'é' } },
      { type: 'DELETED', object: {} },
    ]);
  });
});

describe('toStatusError', () => {
  it('restores a Status body as it was sent', () => {
    const sent = notFound({ group: 'apps', resource: 'deployments' }, 'web').status;
    const err = toStatusError(404, JSON.stringify(sent));
    expect(err.status).toEqual(sent);
    expect(err.message).toBe('deployments.apps "web" not found');
  });

  it('makes a Status from a plain-text body, with the reason the code implies', () => {
    const err = toStatusError(503, 'upstream connect error');
    expect(err.code).toBe(503);
    expect(err.reason).toBe('ServiceUnavailable');
    expect(err.message).toBe('upstream connect error');
  });
});

describe('resourcePath', () => {
  it('builds core, group, cluster-scoped and subresource paths', () => {
    expect(resourcePath(configMaps, 'default')).toBe('/api/v1/namespaces/default/configmaps');
    expect(resourcePath(deployments, 'ns', 'web', 'scale')).toBe('/apis/apps/v1/namespaces/ns/deployments/web/scale');
    expect(resourcePath(namespaces, undefined, 'gone', 'finalize')).toBe('/api/v1/namespaces/gone/finalize');
    expect(resourcePath(deployments, undefined)).toBe('/apis/apps/v1/deployments');
    expect(queryString({ a: 1, b: undefined, c: 'x=y' })).toBe('?a=1&c=x%3Dy');
  });
});

describe('HTTP client over TLS from a kubeconfig', () => {
  let dir: string;
  let pki: Pki;
  let server: Server;
  let port: number;
  const requests: Array<{
    method: string;
    url: string;
    user: string;
    auth: string | undefined;
    type: string | undefined;
    body: string;
  }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wharf-http-client-'));
    pki = loadOrCreatePki(dir, { host: '127.0.0.1' });
    server = createServer(
      {
        key: pki.serving.key,
        cert: pki.serving.certificate,
        ca: pki.caCertificate,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        let body = '';
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () => {
          const peer = (req.socket as TLSSocket).getPeerCertificate();
          requests.push({
            method: req.method ?? '',
            url: req.url ?? '',
            user: String(peer?.subject?.CN ?? ''),
            auth: req.headers.authorization,
            type: req.headers['content-type'],
            body,
          });
          res.setHeader('Content-Type', 'application/json');
          if (req.url?.includes('watch=true')) {
            res.write(
              `${JSON.stringify({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '7' } } })}\n`,
            );
            res.end(`${JSON.stringify({ type: 'ERROR', object: resourceVersionTooOld(3, 5).status })}\n`);
          } else if (req.url?.endsWith('/missing')) {
            res.statusCode = 404;
            res.end(JSON.stringify(notFound({ group: '', resource: 'configmaps' }, 'missing').status));
          } else {
            res.end(
              JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x', namespace: 'default' } }),
            );
          }
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function writeKubeconfig(user: string): string {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    writeFileSync(join(dir, 'ca.crt'), pki.caCertificate);
    writeFileSync(join(dir, 'token'), 'file-token\n');
    const path = join(dir, `${user}.kubeconfig`);
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: wharf',
        '  cluster:',
        `    server: https://127.0.0.1:${port}`,
        '    certificate-authority: ca.crt',
        'users:',
        '- name: cert',
        '  user:',
        `    client-certificate-data: ${b64(pki.admin.certificate)}`,
        `    client-key-data: ${b64(pki.admin.key)}`,
        '- name: tok',
        '  user:',
        '    tokenFile: token',
        'contexts:',
        `- name: ctx`,
        `  context: {cluster: wharf, user: ${user}, namespace: team}`,
        'current-context: ctx',
      ].join('\n'),
    );
    return path;
  }

  it('reads CA and client certificate, verifies the server and presents the certificate', async () => {
    const options = loadKubeconfig(writeKubeconfig('cert'));
    expect(options.namespace).toBe('team');
    const client = createHttpClient(options);
    const got = await client.resource(configMaps).get('x', 'default');
    expect(got.metadata.name).toBe('x');
    expect(requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/api/v1/namespaces/default/configmaps/x',
      user: 'kubernetes-admin',
    });
  });

  it('sends a bearer token read from a token file', async () => {
    const client = createHttpClient(loadKubeconfig(writeKubeconfig('tok')));
    await client.resource(configMaps).get('x', 'default');
    expect(requests.at(-1)?.auth).toBe('Bearer file-token');
  });

  it('refuses a server whose certificate the CA did not sign', async () => {
    const client = createHttpClient({
      server: `https://127.0.0.1:${port}`,
      ca: loadOrCreatePki(join(dir, 'other'), { host: '127.0.0.1' }).caCertificate,
    });
    await expect(client.resource(configMaps).get('x', 'default')).rejects.toThrow();
  });

  it('turns a Status response into the same StatusError', async () => {
    const client = createHttpClient(loadKubeconfig(writeKubeconfig('cert')));
    const err = await client
      .resource(configMaps)
      .get('missing', 'default')
      .catch((e: unknown) => e);
    expect(isStatusError(err)).toBe(true);
    expect((err as StatusError).status).toEqual(notFound({ group: '', resource: 'configmaps' }, 'missing').status);
  });

  it('streams watch events and throws the Status of an ERROR event', async () => {
    const client = createHttpClient(loadKubeconfig(writeKubeconfig('cert')));
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of client.resource(configMaps).watch({
        namespace: 'default',
        resourceVersion: '3',
        allowWatchBookmarks: true,
        signal: new AbortController().signal,
      }))
        seen.push(`${e.type} ${e.object.metadata.name}`);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['ADDED a']);
    expect((err as StatusError).code).toBe(410);
    expect(requests.at(-1)?.url).toBe(
      '/api/v1/namespaces/default/configmaps?resourceVersion=3&allowWatchBookmarks=true&watch=true',
    );
  });

  it('sends patches with the content type of their patch type, and DeleteOptions as a body', async () => {
    const client = createHttpClient(loadKubeconfig(writeKubeconfig('cert')));
    await client.resource(configMaps).patch('x', 'default', 'apply', { data: {} }, { fieldManager: 'me', force: true });
    expect(requests.at(-1)).toMatchObject({
      method: 'PATCH',
      url: '/api/v1/namespaces/default/configmaps/x?fieldManager=me&force=true',
    });
    await client.resource(configMaps).delete('x', 'default', { propagationPolicy: 'Foreground' });
    expect(requests.at(-1)?.method).toBe('DELETE');
    expect(JSON.parse(requests.at(-1)?.body ?? '')).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
    });
  });
});
