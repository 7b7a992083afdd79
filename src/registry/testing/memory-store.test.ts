import { defineStoreContract } from '../../storage/store.contract.ts';
import { createMemoryStore } from './memory-store.ts';

// The test double must keep the same promises as the real backends, or registry tests on it lie.
defineStoreContract('memory store (registry tests)', async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});
