import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../client/local-client.ts';
import { configMaps, namespaces, pods, resourceQuotas } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Store } from '../storage/types.ts';
import { resourceQuotaController } from './resource-quota.ts';
import type { ResourceQuota } from './resource-quota-usage.ts';
import { createInformers } from './runtime/informer-factory.ts';
import { type RunningController, runController } from './runtime/run-controller.ts';

let dataDir: string;
let store: Store;
let client: KubeClient;
let running: RunningController;
const stop = new AbortController();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wharf-quota-controller-'));
  store = await createEmbeddedStore({ dataDir });
  client = createLocalClient(await createRegistry({ store }), { username: 'system:admin', groups: ['system:masters'] });
  const informers = createInformers(client);
  const controller = resourceQuotaController({ client, informers });
  informers.start(stop.signal);
  await informers.waitForSync(stop.signal);
  running = runController(controller);
  await client.resource(namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'q' } });
});
afterAll(async () => {
  await running.stop();
  stop.abort();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Polls until `check` passes; the controller works asynchronously on informer events. */
async function eventually(check: () => Promise<void>) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await check();
    } catch (err) {
      if (attempt > 200) throw err;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const used = async (name: string) =>
  (await client.resource<ResourceQuota>(resourceQuotas).get(name, 'q')).status?.used ?? {};

describe('resource quota controller', () => {
  it('mirrors spec.hard and counts objects as they come and go; admission refuses the one too many', async () => {
    await client.resource<ResourceQuota>(resourceQuotas).create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'objects', namespace: 'q' },
      spec: { hard: { configmaps: '2', pods: '1', 'count/configmaps': '5' } },
    });
    await eventually(async () =>
      expect(await used('objects')).toEqual({ configmaps: '0', 'count/configmaps': '0', pods: '0' }),
    );
    const hard = (await client.resource<ResourceQuota>(resourceQuotas).get('objects', 'q')).status?.hard;
    expect(hard).toEqual({ configmaps: '2', pods: '1', 'count/configmaps': '5' });

    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'q' } });
    await client.resource(configMaps).create(cm('a'));
    await client.resource(configMaps).create(cm('b'));
    await expect(client.resource(configMaps).create(cm('c'))).rejects.toMatchObject({
      code: 403,
      message:
        'configmaps "c" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=2, limited: configmaps=2',
    });
    await eventually(async () => expect((await used('objects')).configmaps).toBe('2'));

    await client.resource(configMaps).delete('a', 'q');
    await eventually(async () => expect((await used('objects')).configmaps).toBe('1'));
    const p = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'q' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    };
    await client.resource(pods).create(p);
    await eventually(async () => expect((await used('objects')).pods).toBe('1'));
  });
});
