/** The app over the real registry and an embedded store in a temp dir, for integration-style tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, type WharfRegistry } from '../../registry/registry.ts';
import { createEmbeddedStore } from '../../storage/embedded/index.ts';
import type { Store } from '../../storage/types.ts';
import { type AppOptions, createApp } from '../app.ts';
import { testVersion } from './test-app.ts';

export interface RealApp {
  app: ReturnType<typeof createApp>;
  registry: WharfRegistry;
  store: Store;
  request(
    method: string,
    path: string,
    o?: { headers?: Record<string, string>; body?: RequestInit['body'] },
  ): Promise<Response>;
  close(): Promise<void>;
}

export async function realApp(o: Partial<AppOptions> = {}): Promise<RealApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wharf-api-'));
  const store = await createEmbeddedStore({ dataDir });
  const registry = await createRegistry({ store });
  const app = createApp({
    registry,
    version: testVersion,
    healthChecks: [{ name: 'etcd', check: async () => void (await store.currentRevision()) }],
    ...o,
  });
  return {
    app,
    registry,
    store,
    request: async (method, path, r = {}) =>
      app.request(path, { method, headers: r.headers ?? {}, body: r.body ?? null }),
    async close() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
