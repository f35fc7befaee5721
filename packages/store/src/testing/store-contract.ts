/**
 * The contract every LabelStore passes: the memory store and the JSONL store run it, and so does
 * any other implementation (a package's own test file calls `describeStoreContract` from
 * `@lenslet/store/testing`). The cases live in contract-writes.ts, contract-reads.ts and, for
 * stores that persist, contract-persistence.ts.
 */
import { afterEach, describe } from 'vitest';
import type { ContractContext, ContractOptions, StoreFixture } from './contract-context.ts';
import { persistenceContract } from './contract-persistence.ts';
import { readContract } from './contract-reads.ts';
import { writeContract } from './contract-writes.ts';

export type { ContractContext, ContractOptions, StoreFixture };

/** Register the contract's tests for the store `open` creates (one fresh store per test). */
export function describeStoreContract(
  name: string,
  open: () => Promise<StoreFixture>,
  options: ContractOptions,
): void {
  describe(`${name}: store contract`, () => {
    let fixture: StoreFixture | undefined;
    const context: ContractContext = {
      start: async () => {
        fixture = await open();
        return fixture.store;
      },
      reopen: () => {
        if (!fixture?.reopen) throw new Error(`${name} cannot be reopened`);
        return fixture.reopen();
      },
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });
    writeContract(context);
    readContract(context);
    persistenceContract(context, options.persistent);
  });
}
