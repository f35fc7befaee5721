// `@lenslet/store/testing`: what tests of any package (and the soak's fault hook) need from the
// store, and nothing production code relies on. A second LabelStore implementation runs
// `describeStoreContract` from its own test file.
//
// `lenslet serve` imports FaultInjector from here (only used under LENSLET_TEST_FAULTS=1);
// `"sideEffects": false` in package.json lets esbuild leave the rest (vitest, esbuild) out of
// the CLI bundle.

// The crash double: an in-memory filesystem that keeps only what was fsynced
export { CrashFs, type CrashOptions, type KeptBytes, PAGE_BYTES } from './crash-fs.ts';
// Fault injection (ENOSPC / EIO) around any filesystem port
export { type FaultCode, FaultInjector, type FaultOp, type FaultRule } from './faults.ts';
// The suite every LabelStore passes
export {
  type ContractOptions,
  describeStoreContract,
  type StoreFixture,
} from './store-contract.ts';
// Entry points bundled like `npm run build` ships them (worker threads, child processes)
export { bundleForTest, testWorker } from './test-bundles.ts';
