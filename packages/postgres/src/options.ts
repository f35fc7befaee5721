/** Options of `openPostgresStore` and their defaults. */

export type PostgresStoreOptions = {
  readonly clock?: () => Date;
  /** Warnings that need no answer (a failed automatic snapshot, a lost notification channel). */
  readonly onWarning?: (message: string) => void;
  /**
   * The log this replica belongs to. A database that holds another log is refused; an empty
   * database adopts this id. Without it, an empty database gets a new random id.
   */
  readonly log_id?: string;
  /** Seconds to wait for a TCP connection and login (per host). */
  readonly connect_timeout_s?: number;
  /**
   * Longest a write's transaction may take before it is answered 503; settling a COMMIT whose
   * answer was lost may take as long again, so every write is answered within twice this.
   */
  readonly write_timeout_ms?: number;
  /** Longest a read (catch-up, history, replay page) may take. */
  readonly read_timeout_ms?: number;
  /** Safety poll for commits of other processes, beside LISTEN/NOTIFY. */
  readonly poll_interval_ms?: number;
  /** Records between automatic snapshots (taken by the replica whose commit crosses a multiple). */
  readonly snapshot_every_records?: number;
  /** Newest records kept in memory for `replay` (SSE resume) without a query. */
  readonly ring_records?: number;
  /** Items per snapshot chunk (one row each). */
  readonly snapshot_chunk_items?: number;
  /** Shown as `application_name` in pg_stat_activity. */
  readonly application_name?: string;
};

export const DEFAULT_WRITE_TIMEOUT_MS = 5_000;
export const DEFAULT_POLL_INTERVAL_MS = 1_000;

export type ResolvedOptions = Required<Omit<PostgresStoreOptions, 'log_id'>> & {
  readonly log_id: string | null;
};

export function resolveOptions(options: PostgresStoreOptions): ResolvedOptions {
  return {
    clock: () => new Date(),
    onWarning: (message) => console.warn(`lenslet: ${message}`),
    connect_timeout_s: 3,
    write_timeout_ms: DEFAULT_WRITE_TIMEOUT_MS,
    read_timeout_ms: 10_000,
    poll_interval_ms: DEFAULT_POLL_INTERVAL_MS,
    snapshot_every_records: 100_000,
    ring_records: 10_000,
    snapshot_chunk_items: 20_000,
    application_name: 'lenslet',
    ...options,
    log_id: options.log_id ?? null,
  } satisfies ResolvedOptions;
}
