/**
 * Live event `table-updated` (SSE): a served table file was rewritten and reloaded in place, or
 * its reload failed.
 *
 * Invariants: `state: "ready"` means the new version is served from now on (`generation` grew by
 * one; `added`/`removed`/`changed` count rows by item path: a row is changed when any of its
 * cells differ); a query or listing fetched after the event reflects it. `state: "error"` means
 * the file could not be read: the last good version (same `generation`) is still served and
 * `error` says why (also in `/health`). Labels are keyed by item path, so they survive either.
 * Not in the log: no SSE id.
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, countSchema } from './fields.ts';

export const tableUpdatedSchema = z.object({
  prefix: canonicalPathSchema,
  generation: countSchema,
  state: z.enum(['ready', 'error']),
  rows: countSchema,
  added: countSchema,
  removed: countSchema,
  changed: countSchema,
  error: z.nullable(z.string()),
});

export type TableUpdated = z.infer<typeof tableUpdatedSchema>;
