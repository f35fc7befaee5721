/**
 * `GET /search?q=`: images below `path` (always recursive) whose path, tags or notes contain
 * every term of `q`, a page at a time.
 *
 * Invariants: name order as in `/folders`; `total` counts every match (not only this page);
 * `seq` as in every answer that carries labels.
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, countSchema, seqSchema } from './fields.ts';
import { itemViewSchema } from './item-view.ts';

export const searchAnswerSchema = z.object({
  path: canonicalPathSchema,
  q: z.string(),
  seq: seqSchema,
  items: z.array(itemViewSchema),
  total: countSchema,
  offset: countSchema,
  limit: countSchema,
});

export type SearchAnswer = z.infer<typeof searchAnswerSchema>;
