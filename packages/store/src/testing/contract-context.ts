/** The types the store contract's cases share (store-contract.ts registers them). */
import type { LabelStore } from '../port/label-store.ts';

export type StoreFixture = {
  readonly store: LabelStore;
  /** Close and reopen the same workspace (absent for stores without persistence). */
  readonly reopen?: () => Promise<LabelStore>;
  readonly cleanup: () => Promise<void>;
};

export type ContractOptions = { readonly persistent: boolean };

/** What the cases get: a fresh store per test, and its reopened self (persistent stores). */
export type ContractContext = {
  readonly start: () => Promise<LabelStore>;
  readonly reopen: () => Promise<LabelStore>;
};
