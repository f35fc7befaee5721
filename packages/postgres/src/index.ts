// The PostgreSQL store
export { type ArchiveExport, archiveName } from './archive-export.ts';
export { redactUrl } from './connection.ts';
// Copying a whole log into an empty database (lenslet migrate)
export { type ImportReport, importLog, type LogSource } from './log-import.ts';
export type { LogVerifyReport } from './log-verify.ts';
export { openPostgresStore } from './open-postgres-store.ts';
export {
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_WRITE_TIMEOUT_MS,
  type PostgresStoreOptions,
} from './options.ts';
export type { PostgresStore } from './postgres-store.ts';
export { SCHEMA_VERSION } from './schema.ts';
// What replicas share besides the log
export type {
  PresenceListener,
  SessionChange,
  SharedPresence,
  SharedSession,
} from './shared-presence.ts';
export type { SharedViews } from './shared-views.ts';
