import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../api/app.ts';
import { wharfVersion } from '../cluster/version.ts';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import { defineClientContract } from './client.contract.ts';
import { createHttpClient } from './http-client.ts';

defineClientContract(
  'HTTP (the Hono app through app.request, no socket)',
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wharf-http-client-'));
    const store = await createEmbeddedStore({ dataDir });
    const registry = await createRegistry({ store });
    const app = createApp({ registry, version: wharfVersion });
    return {
      client: createHttpClient({ server: 'http://wharf.test', fetch: (url, init) => app.request(url, init) }),
      compact: (revision) => store.compact(revision),
      async close() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
  { canCompact: true },
);
