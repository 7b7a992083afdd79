import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { createHttpClient } from '../client/http-client.ts';
import { createLocalClient } from '../client/local-client.ts';
import { configMaps, leases, namespaces, serviceAccounts } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import { wharfVersion } from '../cluster/version.ts';
import { createRegistry, type Registry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Store } from '../storage/types.ts';
import { startControllers } from './index.ts';
import { eventually } from './runtime/eventually.ts';
import type { Lease } from './runtime/leader-election.ts';

let dataDir: string;
let store: Store;
let client: KubeClient;
let registry: Registry;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wharf-controller-manager-'));
  store = await createEmbeddedStore({ dataDir });
  registry = await createRegistry({ store });
  client = createLocalClient(registry, { username: 'system:admin', groups: ['system:masters'] });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const clients: Array<[string, () => KubeClient]> = [
  ['local client', () => client],
  [
    'HTTP client (Hono app, legacy discovery, HTTP watches)',
    () => {
      const app = createApp({ registry, version: wharfVersion });
      return createHttpClient({ server: 'http://wharf.test', fetch: (url, init) => app.request(url, init) });
    },
  ],
];

describe.each(clients)('startControllers over the %s', (_name, connect) => {
  it('leads through a Lease and runs the namespace and service-account controllers', async () => {
    const client = connect();
    const manager = await startControllers({ client, caPem: 'PEM', identity: 'test-1', onError: () => {} });
    try {
      await eventually(async () => {
        const lease = await client.resource<Lease>(leases).get('kube-controller-manager', 'kube-system');
        expect(lease.spec?.holderIdentity).toBe('test-1');
      });
      await eventually(async () => {
        await client.resource(serviceAccounts).get('default', 'kube-system');
      });
      await client
        .resource(namespaces)
        .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'short-lived' } });
      await eventually(async () => {
        await client.resource(configMaps).get('kube-root-ca.crt', 'short-lived');
        await client.resource(serviceAccounts).get('default', 'short-lived');
      });
      await client.resource(namespaces).delete('short-lived');
      await eventually(() =>
        expect(client.resource(namespaces).get('short-lived')).rejects.toMatchObject({ code: 404 }),
      );
    } finally {
      await manager.stop();
    }
    const lease = await client.resource<Lease>(leases).get('kube-controller-manager', 'kube-system');
    expect(lease.spec?.holderIdentity).toBe('');
  });
});

describe('two controller managers on one store', () => {
  it('never both lead, and the second takes over when the first stops', async () => {
    const first = await startControllers({
      client,
      caPem: 'PEM',
      identity: 'first',
      leaseName: 'pair',
      onError: () => {},
    });
    await eventually(() => expect(first.isLeader()).toBe(true));
    const second = await startControllers({
      client,
      caPem: 'PEM',
      identity: 'second',
      leaseName: 'pair',
      onError: () => {},
    });
    try {
      const lease = await client.resource<Lease>(leases).get('pair', 'kube-system');
      expect(lease.spec?.holderIdentity).toBe('first');
      expect(second.isLeader()).toBe(false);
      await first.stop();
      expect(first.isLeader()).toBe(false);
      await eventually(() => expect(second.isLeader()).toBe(true));
      const taken = await client.resource<Lease>(leases).get('pair', 'kube-system');
      expect(taken.spec).toMatchObject({ holderIdentity: 'second', leaseTransitions: 1 });
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
