import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../client/local-client.ts';
import { configMaps, leases, namespaces, serviceAccounts } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Store } from '../storage/types.ts';
import { startControllers } from './index.ts';
import { eventually } from './runtime/eventually.ts';
import type { Lease } from './runtime/leader-election.ts';

let dataDir: string;
let store: Store;
let client: KubeClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wharf-controller-manager-'));
  store = await createEmbeddedStore({ dataDir });
  client = createLocalClient(await createRegistry({ store }), { username: 'system:admin', groups: ['system:masters'] });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('startControllers', () => {
  it('leads through a Lease and runs the namespace and service-account controllers', async () => {
    const manager = await startControllers({ client, caPem: 'PEM', identity: 'test-1', onError: () => {} });
    try {
      await eventually(async () => {
        const lease = await client.resource<Lease>(leases).get('wharf-controller-manager', 'kube-system');
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
    const lease = await client.resource<Lease>(leases).get('wharf-controller-manager', 'kube-system');
    expect(lease.spec?.holderIdentity).toBe('');
  });
});
