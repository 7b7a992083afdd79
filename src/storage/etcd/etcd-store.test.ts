import { defineStoreContract } from '../store.contract.ts';
import { startEtcd } from './etcd-process.ts';
import { createEtcdStore } from './etcd-store.ts';

defineStoreContract('etcd', async () => {
  const etcd = await startEtcd();
  const store = await createEtcdStore({ endpoints: etcd.endpoints });
  return {
    store,
    async cleanup() {
      await store.close();
      await etcd.stop();
    },
  };
});
