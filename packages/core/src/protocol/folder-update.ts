/**
 * Live event `folder-updated` (SSE): files appeared, changed or disappeared directly in `path`.
 *
 * Invariants: coalesced, at most one per folder per 500 ms; a listing fetched after the event
 * includes the change. Not in the log: no SSE id.
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, countSchema } from './fields.ts';

export const folderUpdatedSchema = z.object({
  path: canonicalPathSchema,
  added: countSchema,
  removed: countSchema,
  changed: countSchema,
});

export type FolderUpdated = z.infer<typeof folderUpdatedSchema>;
