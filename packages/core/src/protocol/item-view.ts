/**
 * The item every browse answer lists (`GET /folders`, `/search`, `POST /folders/query`), and
 * `GET /item/detail`: one image's file facts from the gallery plus its labels.
 *
 * Invariants: `width`/`height` are null when the header gave no size; `added_at` is when the
 * file was first seen; `thumb_url` names exactly one rendering (use it as is, cache it forever);
 * the labels are those of `GET /item` at the answer's `seq`. `missing: true` marks a table row
 * whose image file is not there (it stays listed; `/thumb` and `/file` answer 404); absent means
 * present. `fields` holds the fields a query asked for (`fields` in its body: a projection; a
 * label metric overrides the table value of the same name), absent when none were asked.
 * `/item/detail` adds `fields` with every field of the item (the inspector) and `source`, the raw
 * value of the table's image column (null outside tables).
 */
import * as z from 'zod/mini';
import { fieldValueSchema } from './field-list.ts';
import { canonicalPathSchema, countSchema, labelsShape, seqSchema } from './fields.ts';

const dimension = z.nullable(countSchema);

export const itemViewSchema = z.object({
  path: canonicalPathSchema,
  name: z.string(),
  mime: z.string(),
  width: dimension,
  height: dimension,
  size: countSchema,
  added_at: z.string(),
  thumb_url: z.string(),
  ...labelsShape,
  missing: z.optional(z.boolean()),
  fields: z.optional(z.record(z.string(), fieldValueSchema)),
});

/** `GET /item/detail`: the item plus its folder, mtime, file URL, per-field versions and row. */
export const itemDetailSchema = z.extend(itemViewSchema, {
  seq: seqSchema,
  folder: canonicalPathSchema,
  modified_at: z.string(),
  file_url: z.string(),
  field_versions: z.object({ star: countSchema, notes: countSchema, tags: countSchema }),
  fields: z.optional(z.record(z.string(), fieldValueSchema)),
  source: z.optional(z.nullable(z.string())),
});

export type ItemView = z.infer<typeof itemViewSchema>;
export type ItemDetail = z.infer<typeof itemDetailSchema>;
