/**
 * Opens the Store a cluster runs on: embedded on a local data dir (the default), or etcd v3 when
 * endpoints are given. The etcd backend (and its client library) is loaded only when asked for.
 */
import { createEmbeddedStore } from './embedded/index.ts';
import type { Store } from './types.ts';

export { deleteWithPrecondition, guaranteedUpdate } from './guaranteed-update.ts';
export * from './types.ts';

export type StoreLocation = { dataDir: string } | { etcd: string[] };

export async function openStore(options: StoreLocation): Promise<Store> {
  if ('etcd' in options) {
    const { createEtcdStore } = await import('./etcd/index.ts');
    return createEtcdStore({ endpoints: options.etcd });
  }
  return createEmbeddedStore({ dataDir: options.dataDir });
}
