/**
 * The database schema, created and migrated by Lenslet itself. `lenslet_schema` records every
 * migration applied; a database whose newest migration is beyond this binary's is refused (an
 * older binary must never write a newer layout). Migrations run in one transaction under an
 * advisory lock, so replicas starting together apply each one exactly once.
 *
 * Tables (version 1):
 * - lenslet_log_meta: the one row naming this log (`log_id`, like labels.meta.json).
 * - lenslet_head: the one-row counter. Every append locks it (`FOR UPDATE`) until COMMIT, so seq
 *   order is commit order and seqs are gapless.
 * - lenslet_log: one row per record; `line` is the record's JSONL line (with its crc), byte for
 *   byte what the JSONL store writes; seq, path and mutation_id are copied out for the indexes.
 * - lenslet_keys: remembered idempotency keys, UNIQUE (mutation_id, path); pruned past the horizon.
 * - lenslet_snapshots / lenslet_snapshot_chunks: the state at a seq, for a fast replica start.
 *
 * Version 2 (what replicas share besides the log):
 * - lenslet_views: the one row holding the saved views (`revision`, the views as JSON text).
 * - lenslet_presence: UNLOGGED — who is looking at which folder, one row per browser tab, so every
 *   replica counts everyone. Presence is ephemeral: it is not written to the WAL, not copied to a
 *   standby, and emptied by a crash (browsers join again within a heartbeat).
 *
 * Version 3:
 * - lenslet_log_meta.first_seq: the seq the log starts at over the empty state — 1, or past the
 *   event ids of an original Lenslet workspace whose import it continues (docs/format.md §9).
 */
import { LensletError } from '@lenslet/core';
import type { Sql } from 'postgres';

/** The newest schema this binary knows. */
export const SCHEMA_VERSION = 3;
/** Key of the advisory lock taken while migrating (any constant; "lenslet" in ASCII). */
const MIGRATION_LOCK = 0x6c656e736c6574;

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE lenslet_log_meta (
    id smallint PRIMARY KEY CHECK (id = 1),
    log_id text NOT NULL,
    created_at text NOT NULL
  );
  CREATE TABLE lenslet_head (
    id smallint PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL
  );
  INSERT INTO lenslet_head (id, seq) VALUES (1, 0);
  CREATE TABLE lenslet_log (
    seq bigint PRIMARY KEY,
    path text NOT NULL,
    mutation_id text NOT NULL,
    line text NOT NULL
  );
  CREATE INDEX lenslet_log_path ON lenslet_log (path, seq);
  CREATE TABLE lenslet_keys (
    mutation_id text NOT NULL,
    path text NOT NULL,
    mode text NOT NULL,
    fp text NOT NULL,
    seq bigint NOT NULL,
    at_ms bigint NOT NULL,
    PRIMARY KEY (mutation_id, path)
  );
  CREATE INDEX lenslet_keys_seq ON lenslet_keys (seq);
  CREATE TABLE lenslet_snapshots (
    seq bigint PRIMARY KEY,
    created_at text NOT NULL,
    items bigint NOT NULL,
    chunks integer NOT NULL
  );
  CREATE TABLE lenslet_snapshot_chunks (
    seq bigint NOT NULL REFERENCES lenslet_snapshots (seq) ON DELETE CASCADE,
    chunk integer NOT NULL,
    body bytea NOT NULL,
    PRIMARY KEY (seq, chunk)
  );
  ALTER TABLE lenslet_snapshot_chunks ALTER COLUMN body SET STORAGE EXTERNAL;
  `,
  `
  CREATE TABLE lenslet_views (
    id smallint PRIMARY KEY CHECK (id = 1),
    revision bigint NOT NULL,
    views text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE UNLOGGED TABLE lenslet_presence (
    client_id text PRIMARY KEY,
    session text NOT NULL,
    replica text NOT NULL,
    updated_ms bigint NOT NULL
  );
  `,
  `
  ALTER TABLE lenslet_log_meta ADD COLUMN first_seq bigint NOT NULL DEFAULT 1 CHECK (first_seq >= 1);
  `,
];

/** The schema version of the database (0 when Lenslet never ran there). */
export async function schemaVersion(sql: Sql): Promise<number> {
  const [exists] = await sql`SELECT to_regclass('lenslet_schema') IS NOT NULL AS present`;
  if (!exists?.present) return 0;
  const [row] = await sql`SELECT coalesce(max(version), 0)::int AS version FROM lenslet_schema`;
  return Number(row?.version ?? 0);
}

function newerError(found: number): LensletError {
  return new LensletError(
    'precondition_failed',
    `the database holds Lenslet schema version ${found}, newer than this Lenslet understands (${SCHEMA_VERSION}); upgrade Lenslet`,
    { details: { reason: 'schema_newer', schema_version: found } },
  );
}

/** Create or migrate the schema to SCHEMA_VERSION; refuse a newer one. */
export async function migrate(sql: Sql, versions: readonly string[] = MIGRATIONS): Promise<void> {
  const known = versions.length;
  const before = await schemaVersion(sql);
  if (before > known) throw newerError(before);
  if (before === known) return;
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx.unsafe(
      'CREATE TABLE IF NOT EXISTS lenslet_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const [row] = await tx`SELECT coalesce(max(version), 0)::int AS version FROM lenslet_schema`;
    const current = Number(row?.version ?? 0);
    if (current > known) throw newerError(current);
    for (let version = current + 1; version <= known; version++) {
      await tx.unsafe(versions[version - 1]!);
      await tx`INSERT INTO lenslet_schema (version) VALUES (${version})`;
    }
  });
}

/** The log id stored in the database, adopting `wanted` (or `fresh`) when there is none yet. */
export async function bindLogId(
  sql: Sql,
  wanted: string | null,
  fresh: string,
  now: string,
): Promise<string> {
  const id = wanted ?? fresh;
  await sql`INSERT INTO lenslet_log_meta (id, log_id, created_at) VALUES (1, ${id}, ${now})
            ON CONFLICT (id) DO NOTHING`;
  const [row] = await sql`SELECT log_id FROM lenslet_log_meta WHERE id = 1`;
  const stored = String(row?.log_id);
  if (wanted !== null && stored !== wanted) {
    throw new LensletError(
      'precondition_failed',
      `the database holds another workspace's label log (log_id ${stored}, expected ${wanted}); point --store at this workspace's database`,
      { details: { reason: 'log_id_mismatch', log_id: stored, expected: wanted } },
    );
  }
  return stored;
}

/** The seq the log starts after over the empty state: `first_seq - 1` (0 for most logs). */
export async function logOrigin(sql: Sql): Promise<number> {
  const [row] = await sql`SELECT first_seq FROM lenslet_log_meta WHERE id = 1`;
  return row ? Number(row.first_seq) - 1 : 0;
}
