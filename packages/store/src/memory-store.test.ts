import { openMemoryStore } from './memory-store.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract(
  'memory store',
  async () => ({ store: openMemoryStore(), cleanup: async () => {} }),
  { persistent: false },
);
