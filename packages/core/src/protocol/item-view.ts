/**
 * The item every browse answer lists (`GET /folders`, `/search`, `POST /folders/query`), and
 * `GET /item/detail`: one image's file facts from the gallery plus its labels.
 *
 * Invariants: `width`/`height` are null when the header gave no size; `added_at` is when the
 * file was first seen; `thumb_url` names exactly one rendering (use it as is, cache it forever);
 * the labels are those of `GET /item` at the answer's `seq`. For the original Lenslet's client
 * the server also sends `source` (the path without its leading `/`), `original_media` (the
 * full image streams from this server) and `mutable_metric_keys` (the item's label metrics,
 * which a write may change). In `GET /folders` and `/item/detail`, an item of a served table
 * also carries its row: `metrics` then holds every metric with a value (the table's, a label
 * metric overriding the value of the same name; the label metrics are those named by
 * `mutable_metric_keys`) and `categoricals` the scalar categorical columns with a value (the
 * original's words); elsewhere `metrics` are the label metrics. `missing: true` marks a table
 * row whose image file is not there (it stays listed; `/thumb` and `/file` answer 404); absent
 * means present. `fields` (Lenslet's words): in a query answer the fields its body asked for (a
 * projection; a label metric overrides the table value of the same name), absent when none
 * were asked; in `GET /folders?fields=*` (or `=a,b`), every (or those) field of a table row
 * except the file facts; in
 * `/item/detail`, every field of the item (the inspector), where `source` is the raw value of
 * the table's image column (the relative path outside tables).
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
  source: z.optional(z.string()),
  original_media: z.optional(
    z.object({
      mode: z.literal('local_streaming'),
      source_kind: z.literal('local'),
      proxy_available: z.boolean(),
    }),
  ),
  mutable_metric_keys: z.optional(z.array(z.string())),
  categoricals: z.optional(z.record(z.string(), z.string())),
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
