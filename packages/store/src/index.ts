// The public API of @lenslet/store. Test doubles and the contract suite are in
// `@lenslet/store/testing` (src/testing/index.ts), never here.

// The JSONL store: a durable workspace log (group commit, snapshots, compaction, recovery)
export type { WorkerOption } from './background/runner.ts';
// Building blocks another LabelStore shares instead of copying (@lenslet/postgres): the write
// head (decide + seq reservation against the pending head), the answers built from planned
// writes, the idempotency horizon, the fingerprint's mode, the 503 for a failed commit and the
// archive's block size
export { ARCHIVE_BLOCK_BYTES } from './compaction/archive.ts';
export type { CompactOptions } from './compaction/compact.ts';
export {
  IDEMPOTENCY_MIN_AGE_MS,
  IDEMPOTENCY_MIN_RECORDS,
  type IdempotencyEntry,
  IdempotencyIndex,
} from './index/idempotency.ts';
export type { JsonlStore, LockDetails } from './jsonl/jsonl-store.ts';
export { openJsonlStore } from './jsonl/open-jsonl-store.ts';
export {
  DEFAULT_COMPACT_ABOVE_BYTES,
  DEFAULT_RELAXED_INTERVAL_MS,
  DEFAULT_SNAPSHOT_EVERY_RECORDS,
  type JsonlStoreOptions,
} from './jsonl/options.ts';
// A workspace imported from the original (Python) Lenslet: its stored answers to PATCH retries
export { readLegacyAnswers } from './legacy/legacy-answers.ts';
export type { LegacyAnswer } from './legacy/legacy-format.ts';
// The log line format: records, and the frame line in front of each group commit
export { decodeFrame, encodeFrame, frameGroup } from './log/group-frame.ts';
export { decodeLine, encodeRecord } from './log/jsonl-codec.ts';
export { persistenceUnavailable } from './log/write-failure.ts';
// The in-memory store (--no-write, read-only workspaces, the contract's reference)
export { type MemoryStoreOptions, openMemoryStore } from './memory/memory-store.ts';
// The ports: the filesystem the JSONL store runs on, and the LabelStore every store implements
export type { FileStat, FsHandle, FsPort, OpenMode } from './port/fs-port.ts';
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
} from './port/label-store.ts';
/** Integrity of a store with nothing to recover and no old history to check (a database log). */
export { NOTHING_TO_CHECK } from './port/label-store.ts';
export { nodeFs } from './port/node-fs.ts';
// A workspace on disk: file names, the single-writer lock, and reading, verifying or repairing
// it without opening it for writing (lenslet replay / compact)
export { LOCK_FILE, LOG_FILE, SNAPSHOT_FILE } from './workspace/layout.ts';
export { type LockInfo, type LockState, readLock, WorkspaceLock } from './workspace/lock.ts';
export { type ProcessProbe, systemProbe } from './workspace/process-identity.ts';
export { type RepairReport, repairWorkspace } from './workspace/repair.ts';
export { type VerifyReport, verifyWorkspace } from './workspace/verify.ts';
export {
  openWorkspaceReader,
  type ReaderOptions,
  type ReplayTarget,
  type WorkspaceReader,
} from './workspace/workspace-reader.ts';
export { modeOf } from './write/fingerprint.ts';
export { applyOne, type OutcomeContext, toOutcomes } from './write/outcomes.ts';
export { type PlannedWrite, WriteHead } from './write/write-head.ts';
