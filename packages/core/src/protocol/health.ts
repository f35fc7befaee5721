/**
 * `GET /health`: what a person or a monitor needs to know about this server.
 *
 * Invariants: `ok` is false while labels cannot be written (`labels.state: "failing"`), when
 * indexing failed, or when the background check found old history damaged
 * (`labels.integrity.history.state: "damaged"`, integrity.ts); `can_write` is false on a `--read-only` server; `ephemeral` (with its reason)
 * means labels live in memory only; `labels` is the store's status (its `state`, `error` and
 * `since` are what the live `persistence` event carries, `seq` the head); absolute paths
 * (`roots[].dir`, `workspace`) are only sent to requests from this machine. `presence`, `live`
 * and `thumbnails` are diagnostics: counters that may grow new fields.
 *
 * What the original Lenslet's web client reads is here too, in its words: `workspace_id` (stable
 * for a workspace: it namespaces the client's local storage), `labels.persistence` (its sync
 * state, sync-state.ts), `indexing.done`/`total` (items indexed, and found — null while the scan
 * still runs) with `state` `running|ready|error`, `refresh.enabled` (`POST /refresh` rescans
 * folders; false with a `note` when only tables are served: they reload by themselves),
 * `launch_session` (the window title: `title_label`; `kind` `local_parquet` in table mode) and
 * in table mode `table_launch_status` (table-launch.ts).
 *
 * `tables` (table mode, a
 * folder joined with `--table`, or tables in dataset mode) has one entry per served table:
 * `state: "error"` means its last reload failed and `error` says why while the last good version
 * (`generation`) is still served; `missing_files` counts rows whose image file is not there (null
 * until every file was checked: `files_checked` of `rows`), `skipped` the rows left out by reason
 * (`duplicate_path`: a path an earlier row already has; `missing_path`, `invalid_path`).
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, countSchema, persistenceStateSchema, seqSchema } from './fields.ts';
import { integritySchema } from './integrity.ts';
import { syncStateSchema } from './sync-state.ts';
import { tableLaunchStatusSchema } from './table-launch.ts';

const watchModeSchema = z.enum(['native', 'poll', 'off']);
const diagnosticsSchema = z.record(z.string(), z.unknown());

export const tableStatusSchema = z.object({
  prefix: canonicalPathSchema,
  /** Absolute path of the table file (local requests only). */
  file: z.optional(z.string()),
  name: z.string(),
  format: z.enum(['parquet', 'csv', 'tsv', 'jsonl']),
  state: z.enum(['loading', 'ready', 'error']),
  generation: countSchema,
  rows: countSchema,
  path_column: z.nullable(z.string()),
  missing_files: z.nullable(countSchema),
  files_checked: countSchema,
  skipped: z.record(z.string(), countSchema),
  error: z.nullable(z.string()),
  loaded_at: z.nullable(z.string()),
});

export const healthAnswerSchema = z.object({
  ok: z.boolean(),
  version: z.string(),
  mode: z.enum(['folder', 'table', 'dataset']),
  can_write: z.boolean(),
  read_only: z.boolean(),
  ephemeral: z.boolean(),
  ephemeral_reason: z.nullable(z.string()),
  workspace_id: z.string(),
  auth: z.object({ token_required: z.boolean(), public_url: z.nullable(z.string()) }),
  roots: z.array(z.object({ prefix: canonicalPathSchema, dir: z.optional(z.string()) })),
  workspace: z.optional(z.nullable(z.string())),
  labels: z.object({
    enabled: z.literal(true),
    log_id: z.string(),
    durability: z.enum(['fsync', 'relaxed', 'memory']),
    state: persistenceStateSchema,
    error: z.nullable(z.string()),
    since: z.string(),
    seq: seqSchema,
    snapshot_seq: seqSchema,
    oldest_seq: seqSchema,
    log_bytes: countSchema,
    last_fsync_ms: z.nullable(z.number()),
    labeled_items: countSchema,
    persistence: syncStateSchema,
    integrity: integritySchema,
  }),
  presence: diagnosticsSchema,
  live: z.looseObject({ clients: countSchema }),
  indexing: z.object({
    state: z.enum(['running', 'ready', 'error']),
    items: countSchema,
    done: countSchema,
    total: z.nullable(countSchema),
    skipped: z.record(z.string(), countSchema),
    error: z.nullable(z.string()),
  }),
  watch: z.object({
    mode: watchModeSchema,
    requested: watchModeSchema,
    reason: z.nullable(z.string()),
  }),
  thumbnails: z.looseObject({ size: countSchema, quality: countSchema }),
  refresh: z.object({ enabled: z.boolean(), note: z.optional(z.string()) }),
  launch_session: z.object({
    kind: z.enum(['local_folder', 'local_parquet']),
    loaded_from_label: z.string(),
    target_label: z.string(),
    title_label: z.string(),
    detail_label: z.string(),
  }),
  tables: z.optional(z.array(tableStatusSchema)),
  table_launch_status: z.optional(tableLaunchStatusSchema),
});

export type HealthAnswer = z.infer<typeof healthAnswerSchema>;
export type TableStatus = z.infer<typeof tableStatusSchema>;
