import { describeStoreContract } from '@lenslet/store/testing';
import { openPostgresStore } from './open-postgres-store.ts';
import type { PostgresStore } from './postgres-store.ts';
import { freshDatabase, quick, useCluster } from './test-support.ts';

const cluster = useCluster();

describeStoreContract(
  'postgres store (real PostgreSQL)',
  async () => {
    const url = await freshDatabase(cluster());
    let store: PostgresStore = await openPostgresStore(url, quick);
    return {
      store,
      reopen: async () => {
        await store.close();
        store = await openPostgresStore(url, quick);
        return store;
      },
      cleanup: async () => {
        await store.close();
      },
    };
  },
  { persistent: true },
);
