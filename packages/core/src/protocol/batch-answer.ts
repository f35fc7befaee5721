/**
 * The answer of a batch write: `POST /items/patch` (one patch, many items) and
 * `POST /items/metrics`.
 *
 * Invariants: one result per requested item, in request order; `status` is `applied` (with the
 * `sidecar` after it), `unchanged` (with the current `sidecar`), `conflict` (with `current` and
 * the `error`) or `failed` (with the `error`); the four counts add up to the number of items;
 * `seq` is the highest seq recorded, or the head when nothing was. Dedup is per (key, path): a
 * retried request answers the items already applied as before.
 */
import * as z from 'zod/mini';
import { errorBodySchema } from './error-body.ts';
import { canonicalPathSchema, countSchema, persistenceSchema, seqSchema } from './fields.ts';
import { sidecarSchema } from './sidecar.ts';

export const batchItemResultSchema = z.object({
  path: canonicalPathSchema,
  status: z.enum(['applied', 'unchanged', 'conflict', 'failed']),
  sidecar: z.optional(sidecarSchema),
  current: z.optional(sidecarSchema),
  error: z.optional(errorBodySchema),
});

export const batchAnswerSchema = z.object({
  seq: seqSchema,
  mutation_id: z.string(),
  persistence: persistenceSchema,
  results: z.array(batchItemResultSchema),
  applied: countSchema,
  unchanged: countSchema,
  conflicts: countSchema,
  failed: countSchema,
});

export type BatchItemResult = z.infer<typeof batchItemResultSchema>;
export type BatchItemStatus = BatchItemResult['status'];
export type BatchAnswer = z.infer<typeof batchAnswerSchema>;
