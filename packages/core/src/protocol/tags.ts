/**
 * `GET /tags`: tags in use below `path`, for autocomplete.
 *
 * Invariants: most used first, ties by name; `count` ≥ 1 (a tag nobody uses is not listed);
 * labels of files that are gone are not counted; `seq` as in every answer carrying labels.
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, seqSchema } from './fields.ts';

export const tagCountSchema = z.object({
  tag: z.string(),
  count: z.int().check(z.minimum(1)),
});

export const tagsAnswerSchema = z.object({
  path: canonicalPathSchema,
  seq: seqSchema,
  tags: z.array(tagCountSchema),
});

export type TagCount = z.infer<typeof tagCountSchema>;
export type TagsAnswer = z.infer<typeof tagsAnswerSchema>;
