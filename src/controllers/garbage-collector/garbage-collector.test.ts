import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../client/local-client.ts';
import { configMaps, secrets } from '../../client/resources.ts';
import type { KubeClient } from '../../client/types.ts';
import { createRegistry } from '../../registry/index.ts';
import { createEmbeddedStore } from '../../storage/embedded/index.ts';
import type { Store } from '../../storage/types.ts';
import type { KubeObject, OwnerReference } from '../../types/meta.ts';
import { eventually } from '../runtime/eventually.ts';
import { createInformers } from '../runtime/informer-factory.ts';
import { type RunningController, runController } from '../runtime/run-controller.ts';
import { garbageCollector } from './garbage-collector.ts';

let dataDir: string;
let store: Store;
let client: KubeClient;
let running: RunningController;
const stop = new AbortController();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wharf-gc-'));
  store = await createEmbeddedStore({ dataDir });
  client = createLocalClient(await createRegistry({ store }), { username: 'system:admin', groups: ['system:masters'] });
  const informers = createInformers(client, { freeze: true });
  const gc = garbageCollector({ client, informers });
  informers.start(stop.signal);
  await gc.hasStarted();
  running = runController(gc);
});
afterAll(async () => {
  stop.abort();
  await running.stop();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const owner = (name: string) =>
  client.resource(configMaps).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });

const ownedBy = (o: KubeObject, blockOwnerDeletion = true): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name: o.metadata.name ?? '',
  uid: o.metadata.uid ?? '',
  controller: true,
  blockOwnerDeletion,
});

const dependent = (name: string, refs: OwnerReference[], finalizers?: string[]) =>
  client.resource(secrets).create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default', ownerReferences: refs, ...(finalizers ? { finalizers } : {}) },
  });

const exists = async (ref: typeof secrets, name: string) =>
  client
    .resource(ref)
    .get(name, 'default')
    .then(
      () => true,
      () => false,
    );

describe('garbage collector', () => {
  it('deletes dependents once their owner is deleted in the background', async () => {
    const o = await owner('bg-owner');
    await dependent('bg-child', [ownedBy(o)]);
    await client.resource(configMaps).delete('bg-owner', 'default');
    await eventually(async () => expect(await exists(secrets, 'bg-child')).toBe(false));
  });

  it('deletes dependents whose owner never existed or has another uid', async () => {
    const o = await owner('namesake');
    await dependent('wrong-uid', [{ ...ownedBy(o), uid: 'not-the-uid' }]);
    await dependent('no-owner', [{ ...ownedBy(o), name: 'never-was', uid: 'x' }]);
    await eventually(async () => {
      expect(await exists(secrets, 'wrong-uid')).toBe(false);
      expect(await exists(secrets, 'no-owner')).toBe(false);
    });
    expect(await exists(configMaps, 'namesake')).toBe(true);
  });

  it('keeps a dependent that still has another owner, dropping the reference to the gone one', async () => {
    const a = await owner('shared-a');
    const b = await owner('shared-b');
    await dependent('shared-child', [ownedBy(a), ownedBy(b)]);
    await client.resource(configMaps).delete('shared-a', 'default');
    await eventually(async () => {
      const child = await client.resource(secrets).get('shared-child', 'default');
      expect(child.metadata.ownerReferences?.map((r) => r.name)).toEqual(['shared-b']);
    });
  });

  it('foreground deletion removes blocking dependents before the owner', async () => {
    const o = await owner('fg-owner');
    // The finalizer holds the dependent, so the owner can be seen waiting for it.
    await dependent('fg-child', [ownedBy(o)], ['example.com/hold']);
    await client.resource(configMaps).delete('fg-owner', 'default', { propagationPolicy: 'Foreground' });
    await eventually(async () => {
      const child = await client.resource(secrets).get('fg-child', 'default');
      expect(child.metadata.deletionTimestamp).toBeDefined();
    });
    const waiting = await client.resource(configMaps).get('fg-owner', 'default');
    expect(waiting.metadata.finalizers).toEqual(['foregroundDeletion']);
    await client.resource(secrets).patch('fg-child', 'default', 'merge', { metadata: { finalizers: null } });
    await eventually(async () => expect(await exists(configMaps, 'fg-owner')).toBe(false));
  });

  it('orphan deletion strips the ownerReferences and keeps the dependents', async () => {
    const o = await owner('orphan-owner');
    await dependent('orphan-child', [ownedBy(o)]);
    await client.resource(configMaps).delete('orphan-owner', 'default', { propagationPolicy: 'Orphan' });
    await eventually(async () => expect(await exists(configMaps, 'orphan-owner')).toBe(false));
    const child = await client.resource(secrets).get('orphan-child', 'default');
    expect(child.metadata.ownerReferences).toBeUndefined();
  });
});
