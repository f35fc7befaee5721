/**
 * `GET /folders` (one folder: its images, a page at a time, and its direct subfolders) and
 * `GET /folders/paths` (every folder).
 *
 * Invariants: `seq` is the log head read before the labels (also the `Lenslet-Seq` header), so
 * resuming the live stream from it misses nothing; images are in name order (a recursive listing:
 * the folder's own, then each subfolder's, depth first); `total_items` counts every image the
 * listing would hold without paging; `count_only` answers `items: []`. A subfolder's `count`
 * counts every image below it; `kind` is `branch` when it has subfolders, else `leaf`.
 * `/folders/paths` is sorted. For the original Lenslet's client: `version` 1, `generated_at`,
 * `metric_keys` and `categorical_keys` (every metric and scalar categorical column served,
 * sorted; `[]` in a `count_only` answer).
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, countSchema, seqSchema } from './fields.ts';
import { itemViewSchema } from './item-view.ts';

export const folderEntrySchema = z.object({
  name: z.string(),
  kind: z.enum(['branch', 'leaf']),
  count: countSchema,
});

export const foldersAnswerSchema = z.object({
  path: canonicalPathSchema,
  seq: seqSchema,
  items: z.array(itemViewSchema),
  folders: z.array(folderEntrySchema),
  total_items: countSchema,
  offset: countSchema,
  limit: countSchema,
  version: z.optional(z.literal(1)),
  generated_at: z.optional(z.string()),
  metric_keys: z.optional(z.array(z.string())),
  categorical_keys: z.optional(z.array(z.string())),
});

export const folderPathsAnswerSchema = z.object({ paths: z.array(canonicalPathSchema) });

export type FolderEntry = z.infer<typeof folderEntrySchema>;
export type FoldersAnswer = z.infer<typeof foldersAnswerSchema>;
export type FolderPathsAnswer = z.infer<typeof folderPathsAnswerSchema>;
