import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeletGet } from '../api/kubelet-client.ts';
import { loadOrCreatePki, type Pki } from '../pki/load-or-create-pki.ts';
import { badRequest, isStatusError } from '../status.ts';
import { type KubeletServer, startKubeletServer } from './kubelet-server.ts';
import type { LogOptions, PodLogs } from './logs.ts';

const dirs: string[] = [];
const pkiIn = (name: string): Pki => {
  const dir = mkdtempSync(join(tmpdir(), `wharf-kubelet-${name}-`));
  dirs.push(dir);
  return loadOrCreatePki(dir, { host: '127.0.0.1' });
};

let cluster: Pki;
let server: KubeletServer;
const asked: Array<{ namespace: string; pod: string; container?: string | undefined; options?: LogOptions }> = [];

// What the process's simulated kubelets answer; the HTTPS path around it is what is tested here.
const logs: PodLogs = {
  async getLogs(namespace, pod, container, options) {
    asked.push({ namespace, pod, container, options });
    if (pod === 'waiting')
      throw badRequest(`container "${container}" in pod "${pod}" is waiting to start: ErrImagePull`);
    return new Blob(['one\n', 'two\n']).stream();
  },
};

const node = (port: number) => ({
  metadata: { name: 'remote-1' },
  status: {
    addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
    daemonEndpoints: { kubeletEndpoint: { Port: port } },
  },
});

const get = (path: string, caller: Pki = cluster) =>
  kubeletGet(node(server.port), path, caller.kubeletClient, new AbortController().signal);

beforeAll(async () => {
  cluster = pkiIn('cluster');
  server = await startKubeletServer({ logs, clientCA: cluster.caCertificate, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('kubelet endpoint for pods/log', () => {
  it('streams a container log to a caller with a certificate of the cluster CA, passing the log options on', async () => {
    const body = await get('/containerLogs/default/web/app?tailLines=2&timestamps=true');
    expect(await new Response(body).text()).toBe('one\ntwo\n');
    expect(asked.at(-1)).toMatchObject({
      namespace: 'default',
      pod: 'web',
      container: 'app',
      options: { tailLines: 2, timestamps: true },
    });
  });

  it("relays the kubelet's Status error with its code and message", async () => {
    const err = await get('/containerLogs/default/waiting/app').catch((e: unknown) => e);
    expect(isStatusError(err) && err.status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'container "app" in pod "waiting" is waiting to start: ErrImagePull',
    });
  });

  it('refuses a client certificate from another CA', async () => {
    const stranger = pkiIn('stranger');
    const err = await get('/containerLogs/default/web/app', stranger).catch((e: unknown) => e);
    expect(isStatusError(err) && err.code).toBe(500);
    expect(String((err as Error).message)).toMatch(
      /^Get "https:\/\/127\.0\.0\.1:\d+\/containerLogs\/default\/web\/app": /,
    );
  });

  it('says when a node advertises no kubelet endpoint', () => {
    expect(() =>
      kubeletGet(
        { metadata: { name: 'bare' } },
        '/containerLogs/a/b/c',
        cluster.kubeletClient,
        new AbortController().signal,
      ),
    ).toThrow('node "bare" has no kubelet address and port');
  });
});
