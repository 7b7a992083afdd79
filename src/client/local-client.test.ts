import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import { defineClientContract } from './client.contract.ts';
import { createLocalClient } from './local-client.ts';
import { configMaps } from './resources.ts';

defineClientContract(
  'local (registry on a temp embedded store)',
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wharf-local-client-'));
    const store = await createEmbeddedStore({ dataDir });
    const registry = await createRegistry({ store });
    return {
      client: createLocalClient(registry, { username: 'system:admin', groups: ['system:masters'] }),
      compact: (revision) => store.compact(revision),
      async close() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
  { canCompact: true },
);

describe('local client with sharedReads', () => {
  it('hands out the registry’s frozen objects from get, list and watch, and still copies what it is given', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wharf-local-client-shared-'));
    const store = await createEmbeddedStore({ dataDir });
    try {
      const registry = await createRegistry({ store });
      const admin = { username: 'system:admin', groups: ['system:masters'] };
      const shared = createLocalClient(registry, admin, { sharedReads: true }).resource(configMaps);
      const copying = createLocalClient(registry, admin).resource(configMaps);
      const body = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'default' },
        data: { k: 'v' },
      };
      await shared.create(body);
      body.data.k = 'changed after create';
      const got = await shared.get('a', 'default');
      expect(got.data).toEqual({ k: 'v' });
      expect(Object.isFrozen(got) && Object.isFrozen(got.metadata)).toBe(true);
      expect(() => {
        (got.metadata as { name?: string }).name = 'b';
      }).toThrow(TypeError);
      const listed = await shared.list({ namespace: 'default' });
      // List items are built per request: what is not frozen is copied, so changing it leaks nowhere.
      const item = listed.items[0] as (typeof listed.items)[number];
      if (!Object.isFrozen(item.metadata)) item.metadata.labels = { leaked: 'no' };
      expect((await shared.get('a', 'default')).metadata.labels).toBeUndefined();
      // The default client gives each caller its own copy.
      const own = await copying.get('a', 'default');
      expect(Object.isFrozen(own)).toBe(false);
      own.metadata.labels = { mine: 'yes' };
      expect((await copying.get('a', 'default')).metadata.labels).toBeUndefined();
      const abort = new AbortController();
      const events = shared.watch({ namespace: 'default', resourceVersion: '0', signal: abort.signal });
      for await (const e of events) {
        expect(e.object.metadata.name).toBe('a');
        expect(Object.isFrozen(e.object)).toBe(true);
        abort.abort();
      }
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
