// The port

// Implementations
export { type MemoryStoreOptions, openMemoryStore } from './memory-store.ts';
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
