import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import { defineClientContract } from './client.contract.ts';
import { createLocalClient } from './local-client.ts';

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
