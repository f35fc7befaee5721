/**
 * `table_launch_status` of `GET /health` (table mode only): the served table as the original
 * Lenslet's web client shows it in its settings (rows, skipped rows, image column, how images
 * load, whether the served version is the file's current one). Its client reads every field
 * without a null check, so all are always sent.
 *
 * Invariants: `gallery_rows` are the rows served, `source_table_rows` those in the file
 * (`gallery_rows + skipped_rows.total`); `skipped_rows` holds Lenslet's reasons by name plus
 * `local_missing` (rows served whose image file is not there, 0 until every file was checked);
 * `dimension_coverage.known` counts rows whose file was checked and found; `source_refresh` is
 * `current` (the file's last version is served) or `stale` (its last rewrite could not be
 * read: `message` says why, the last good version is served); `generation` counts reloads.
 */
import * as z from 'zod/mini';
import { countSchema } from './fields.ts';

export const tableLaunchStatusSchema = z.object({
  source_column: z.nullable(z.string()),
  path_column: z.null(),
  path_mode: z.literal('source-derived'),
  root_policy: z.literal('base-dir'),
  base_dir: z.nullable(z.string()),
  workspace_mode: z.literal('workspace'),
  source_table_rows: countSchema,
  gallery_rows: countSchema,
  skipped_rows: z.record(z.string(), countSchema),
  media_source_kind: z.literal('local'),
  dimension_coverage: z.object({ known: countSchema, missing: countSchema, total: countSchema }),
  dimension_cache_policy: z.literal('none'),
  dimension_write_policy: z.literal('none'),
  original_media_policy: z.object({
    mode: z.literal('local_streaming'),
    source_kind: z.literal('local'),
    proxy_available: z.boolean(),
    redacted_origin: z.null(),
    warnings: z.array(z.string()),
  }),
  warnings: z.array(z.string()),
  source_refresh: z.object({
    state: z.enum(['current', 'stale']),
    generation: z.string(),
    message: z.nullable(z.string()),
  }),
});

export type TableLaunchStatus = z.infer<typeof tableLaunchStatusSchema>;
