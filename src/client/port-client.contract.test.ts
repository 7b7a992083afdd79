import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import { defineClientContract } from './client.contract.ts';
import { createLocalClient } from './local-client.ts';
import { createPortClient } from './port-client.ts';
import { servePort } from './port-server.ts';

// Both ends in one thread: every message still goes through structured clone, which is what the
// contract can observe (copies, errors, watch order). port-client.test.ts crosses a real thread.
defineClientContract(
  'port (a sharedReads local client served over a MessageChannel)',
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wharf-port-client-'));
    const store = await createEmbeddedStore({ dataDir });
    const registry = await createRegistry({ store });
    const local = createLocalClient(
      registry,
      { username: 'system:admin', groups: ['system:masters'] },
      { sharedReads: true },
    );
    const { port1, port2 } = new MessageChannel();
    const server = servePort(port1, local);
    const client = createPortClient(port2);
    return {
      client,
      compact: (revision) => store.compact(revision),
      async close() {
        client.close();
        server.close();
        port1.close();
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
  { canCompact: true },
);
