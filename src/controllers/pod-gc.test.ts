import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../client/local-client.ts';
import { pods } from '../client/resources.ts';
import type { KubeClient, ResourceRef } from '../client/types.ts';
import type { Pod } from '../nodes/api-types.ts';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Store } from '../storage/types.ts';
import { excessTerminated, podGCController } from './pod-gc.ts';
import { eventually } from './runtime/eventually.ts';
import { createInformers } from './runtime/informer-factory.ts';

const pod = (name: string, phase: 'Running' | 'Succeeded', created: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, creationTimestamp: created },
  spec: { containers: [] },
  status: { phase },
});

describe('pod garbage collection', () => {
  it('deletes the oldest terminated pods beyond the threshold only', () => {
    const list = [
      pod('new', 'Succeeded', '2026-01-03T00:00:00Z'),
      pod('old', 'Succeeded', '2026-01-01T00:00:00Z'),
      pod('run', 'Running', '2025-01-01T00:00:00Z'),
    ];
    expect(excessTerminated(list, 1).map((p) => p.metadata.name)).toEqual(['old']);
    expect(excessTerminated(list, 2)).toEqual([]);
    expect(excessTerminated(list, 0)).toEqual([]);
  });

  describe('on a registry', () => {
    let dataDir: string;
    let store: Store;
    let client: KubeClient;
    const stop = new AbortController();
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'wharf-pod-gc-'));
      store = await createEmbeddedStore({ dataDir });
      client = createLocalClient(await createRegistry({ store }), {
        username: 'system:admin',
        groups: ['system:masters'],
      });
    });
    afterAll(async () => {
      stop.abort();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('deletes pods bound to a node that does not exist', async () => {
      const informers = createInformers(client);
      const gc = podGCController({ client, informers }, { quarantineMs: 0 });
      const api = client.resource(pods as ResourceRef<Pod>);
      await api.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'lost', namespace: 'default' },
        spec: { nodeName: 'gone', containers: [{ name: 'c', image: 'nginx' }] },
      });
      informers.start(stop.signal);
      await informers.waitForSync();
      await eventually(async () => {
        await gc.reconcile('pods');
        await expect(api.get('lost', 'default')).rejects.toMatchObject({ code: 404 });
      });
      gc.queue.shutDown();
    });
  });
});
