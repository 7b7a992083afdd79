import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerBindings } from '../api/server.ts';
import { createMemoryStore } from '../registry/testing/memory-store.ts';
import type { Registry } from '../registry/types.ts';
import type { ClusterParts } from './cluster-parts.ts';
import { type ComponentFactory, startCluster } from './start-cluster.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wharf-cluster-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Stand-ins: the app answers with the user the authenticator found, so the whole chain is visible. */
function fakeParts(events: string[]): ClusterParts {
  return {
    openStore: async () => {
      const store = createMemoryStore();
      const close = store.close.bind(store);
      store.close = async () => {
        events.push('store closed');
        await close();
      };
      return store;
    },
    createRegistry: ({ apiserver }) => {
      events.push(`registry for port ${apiserver.port}`);
      return {} as Registry;
    },
    createApp: ({ authenticate, version }) => ({
      fetch: (req: Request, env: ServerBindings) =>
        Response.json({
          user:
            authenticate({
              headers: req.headers,
              ...(env.peerCertificate ? { peerCertificate: env.peerCertificate } : {}),
            }) ?? null,
          gitVersion: version.gitVersion,
        }),
    }),
  };
}

function kubeconfigField(text: string, field: string): string {
  const match = new RegExp(`${field}: (\\S+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${field} in kubeconfig`);
  return match[1];
}

function getWith(kubeconfig: string, path: string): Promise<unknown> {
  const decode = (field: string) => Buffer.from(kubeconfigField(kubeconfig, field), 'base64').toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${kubeconfigField(kubeconfig, 'server')}${path}`,
      {
        ca: decode('certificate-authority-data'),
        cert: decode('client-certificate-data'),
        key: decode('client-key-data'),
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve(JSON.parse(body)));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('startCluster', () => {
  it('serves the app over TLS and writes a kubeconfig whose admin certificate authenticates', async () => {
    const events: string[] = [];
    const kubeconfigPath = join(dir, 'out', 'kc');
    const cluster = await startCluster({
      dataDir: join(dir, 'data'),
      host: '127.0.0.1',
      port: 0,
      kubeconfigPath,
      nodes: 3,
      parts: fakeParts(events),
    });
    try {
      expect(events).toEqual([`registry for port ${cluster.port}`]);
      const kubeconfig = readFileSync(kubeconfigPath, 'utf8');
      expect(kubeconfigField(kubeconfig, 'server')).toBe(`https://127.0.0.1:${cluster.port}`);
      expect(kubeconfigField(kubeconfig, 'current-context')).toBe('wharf');
      expect(await getWith(kubeconfig, '/version')).toEqual({
        user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
        gitVersion: 'v1.33.0-wharf',
      });
    } finally {
      await cluster.stop();
    }
    expect(events.at(-1)).toBe('store closed');
  });

  it('starts components after the server and stops them in reverse order', async () => {
    const events: string[] = [];
    const component =
      (name: string): ComponentFactory =>
      async (context) => {
        events.push(`start ${name} with ${context.nodes} nodes`);
        return { stop: async () => void events.push(`stop ${name}`) };
      };
    const cluster = await startCluster({
      dataDir: join(dir, 'data'),
      host: '127.0.0.1',
      port: 0,
      kubeconfigPath: join(dir, 'kc'),
      nodes: 2,
      components: [component('scheduler'), component('nodes')],
      parts: fakeParts(events),
    });
    await cluster.stop();
    expect(events.slice(1)).toEqual([
      'start scheduler with 2 nodes',
      'start nodes with 2 nodes',
      'stop nodes',
      'stop scheduler',
      'store closed',
    ]);
  });

  it('keeps the CA across restarts, so the old kubeconfig still works', async () => {
    const options = {
      dataDir: join(dir, 'data'),
      host: '127.0.0.1',
      port: 0,
      kubeconfigPath: join(dir, 'kc'),
      nodes: 0,
    };
    const first = await startCluster({ ...options, parts: fakeParts([]) });
    const before = readFileSync(options.kubeconfigPath, 'utf8');
    await first.stop();
    const second = await startCluster({ ...options, parts: fakeParts([]) });
    try {
      const ca = (text: string) => kubeconfigField(text, 'certificate-authority-data');
      expect(ca(readFileSync(options.kubeconfigPath, 'utf8'))).toBe(ca(before));
      const stale = before.replace(/server: \S+/, `server: https://127.0.0.1:${second.port}`);
      expect(await getWith(stale, '/')).toMatchObject({ user: { username: 'kubernetes-admin' } });
      expect(new X509Certificate(second.pki.caCertificate).ca).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it('releases the port and the store when a part fails to start', async () => {
    const events: string[] = [];
    const parts = fakeParts(events);
    const failing: ClusterParts = {
      ...parts,
      createRegistry: () => {
        throw new Error('registry broke');
      },
    };
    await expect(
      startCluster({
        dataDir: join(dir, 'd'),
        host: '127.0.0.1',
        port: 0,
        kubeconfigPath: join(dir, 'kc'),
        nodes: 0,
        parts: failing,
      }),
    ).rejects.toThrow('registry broke');
    expect(events).toEqual(['store closed']);
  });
});
