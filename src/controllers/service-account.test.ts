import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../client/local-client.ts';
import { configMaps, namespaces, serviceAccounts } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Store } from '../storage/types.ts';
import { eventually } from './runtime/eventually.ts';
import { createInformers, type Informers } from './runtime/informer-factory.ts';
import type { Controller } from './runtime/run-controller.ts';
import { type ConfigMap, serviceAccountController } from './service-account.ts';

const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let dataDir: string;
let store: Store;
let client: KubeClient;
let informers: Informers;
let controller: Controller;
const stop = new AbortController();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wharf-serviceaccount-controller-'));
  store = await createEmbeddedStore({ dataDir });
  client = createLocalClient(await createRegistry({ store }), { username: 'system:admin', groups: ['system:masters'] });
  informers = createInformers(client, { freeze: true });
  controller = serviceAccountController({ client, informers, caPem });
  informers.start(stop.signal);
  await informers.waitForSync();
});
afterAll(async () => {
  stop.abort();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function createNamespace(name: string) {
  await client.resource(namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await eventually(() => expect(informers.informerFor(namespaces).getByName(undefined, name)).toBeDefined());
}

describe('service account controller', () => {
  it('queues every namespace it sees', async () => {
    await createNamespace('queued');
    expect(controller.queue.len()).toBeGreaterThan(0);
  });

  it('creates the default ServiceAccount and kube-root-ca.crt in a namespace', async () => {
    await createNamespace('team-a');
    await controller.reconcile('team-a');
    const account = await client.resource(serviceAccounts).get('default', 'team-a');
    expect(account.metadata.name).toBe('default');
    const cm = await client.resource<ConfigMap>(configMaps).get('kube-root-ca.crt', 'team-a');
    expect(cm.data).toEqual({ 'ca.crt': caPem });
    expect(cm.metadata.annotations?.['kubernetes.io/description']).toMatch(/^Contains a CA bundle/);
  });

  it('re-creates the ServiceAccount after it is deleted, and tolerates a stale cache', async () => {
    await createNamespace('team-b');
    await controller.reconcile('team-b');
    // The cache has not seen our create yet or has: either way a second pass must not fail.
    await controller.reconcile('team-b');
    await client.resource(serviceAccounts).delete('default', 'team-b');
    await eventually(() =>
      expect(
        informers
          .informerFor(serviceAccounts, { fieldSelector: 'metadata.name=default' })
          .getByName('team-b', 'default'),
      ).toBeUndefined(),
    );
    await controller.reconcile('team-b');
    expect((await client.resource(serviceAccounts).get('default', 'team-b')).metadata.name).toBe('default');
  });

  it('puts back the CA when kube-root-ca.crt is edited', async () => {
    await createNamespace('team-c');
    await controller.reconcile('team-c');
    const cm = await client.resource<ConfigMap>(configMaps).get('kube-root-ca.crt', 'team-c');
    const edited = await client
      .resource<ConfigMap>(configMaps)
      .update({ ...cm, data: { 'ca.crt': 'tampered', extra: 'x' } });
    const informer = informers.informerFor<ConfigMap>(configMaps, { fieldSelector: 'metadata.name=kube-root-ca.crt' });
    await eventually(() =>
      expect(informer.getByName('team-c', 'kube-root-ca.crt')?.metadata.resourceVersion).toBe(
        edited.metadata.resourceVersion,
      ),
    );
    await controller.reconcile('team-c');
    expect((await client.resource<ConfigMap>(configMaps).get('kube-root-ca.crt', 'team-c')).data).toEqual({
      'ca.crt': caPem,
    });
  });

  it('does nothing in a terminating namespace', async () => {
    await createNamespace('leaving');
    await client.resource(namespaces).delete('leaving');
    await eventually(() =>
      expect(
        informers.informerFor(namespaces).getByName(undefined, 'leaving')?.metadata.deletionTimestamp,
      ).toBeTruthy(),
    );
    await controller.reconcile('leaving');
    await expect(client.resource(serviceAccounts).get('default', 'leaving')).rejects.toMatchObject({ code: 404 });
  });
});
