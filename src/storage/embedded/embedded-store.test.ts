import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStoreContract } from '../store.contract.ts';
import { createEmbeddedStore } from './embedded-store.ts';

defineStoreContract('embedded store', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wharf-embedded-'));
  const store = await createEmbeddedStore({ dataDir });
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
