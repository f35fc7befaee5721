import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreContract } from '../testing/store-contract.ts';
import type { JsonlStore } from './jsonl-store.ts';
import { openJsonlStore } from './open-jsonl-store.ts';

describeStoreContract(
  'jsonl store (real disk)',
  async () => {
    const root = await mkdtemp(join(tmpdir(), 'lenslet-store-'));
    const dir = join(root, '.lenslet');
    const open = () => openJsonlStore(dir, { onWarning: () => {} });
    let store: JsonlStore = await open();
    return {
      store,
      reopen: async () => {
        await store.close();
        store = await open();
        return store;
      },
      cleanup: async () => {
        await store.close();
        await rm(root, { recursive: true, force: true });
      },
    };
  },
  { persistent: true },
);
