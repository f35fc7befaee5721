// The port

export { CrashFs, type CrashOptions } from './crash-fs.ts';
export { type FaultCode, FaultInjector, type FaultOp, type FaultRule } from './faults.ts';
// The filesystem port, its crash double and fault injection
export type { FileStat, FsHandle, FsPort, OpenMode } from './fs-port.ts';
// The log line format
export { decodeLine, encodeRecord } from './jsonl-codec.ts';
export {
  type CompactOptions,
  type JsonlStore,
  type LockDetails,
  openJsonlStore,
} from './jsonl-store.ts';
export { LOCK_FILE, LOG_FILE, SNAPSHOT_FILE } from './layout.ts';
export { type LockInfo, type LockState, readLock, WorkspaceLock } from './lock.ts';
// Implementations
export { type MemoryStoreOptions, openMemoryStore } from './memory-store.ts';
export { nodeFs } from './node-fs.ts';
export { type ProcessProbe, systemProbe } from './process-identity.ts';
export { type RepairReport, repairWorkspace } from './repair.ts';
export type {
  ApplyResult,
  BatchOutcome,
  CommittedRecord,
  CompactionReport,
  Durability,
  HistoryQuery,
  LabelStore,
  Persistence,
  StoreStatus,
  WriteEntry,
  WriteMeta,
  WriteMode,
} from './store.ts';
export {
  DEFAULT_COMPACT_ABOVE_BYTES,
  DEFAULT_RELAXED_INTERVAL_MS,
  DEFAULT_SNAPSHOT_EVERY_RECORDS,
  type JsonlStoreOptions,
  type WorkerOption,
} from './store-options.ts';
export { type VerifyReport, verifyWorkspace } from './verify.ts';
// Reading a workspace without opening it for writing (lenslet replay / compact)
export {
  openWorkspaceReader,
  type ReaderOptions,
  type ReplayTarget,
  type WorkspaceReader,
} from './workspace-reader.ts';
