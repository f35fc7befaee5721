// The PostgreSQL store
export { type ArchiveExport, archiveName } from './archive-export.ts';
export { openPostgresStore } from './open-postgres-store.ts';
export {
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_WRITE_TIMEOUT_MS,
  type PostgresStoreOptions,
} from './options.ts';
export type { PostgresStore } from './postgres-store.ts';
export { SCHEMA_VERSION } from './schema.ts';
