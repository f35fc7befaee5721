import { expect, test } from 'vitest';
import { describeStoreContract } from '../testing/store-contract.ts';
import { openMemoryStore } from './memory-store.ts';

describeStoreContract(
  'memory store',
  async () => ({ store: openMemoryStore(), cleanup: async () => {} }),
  { persistent: false },
);

test('the status says why labels live only in memory', () => {
  expect(
    openMemoryStore({ reason: 'the server was started with --no-write' }).status(),
  ).toMatchObject({ state: 'memory', error: 'the server was started with --no-write' });
  expect(openMemoryStore().status()).toMatchObject({ state: 'memory', error: null });
});
