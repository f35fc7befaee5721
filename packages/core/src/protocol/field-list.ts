/**
 * `GET`/`POST /folders/fields`: every field a query can filter, sort, facet or project, for one
 * scope. One answer serves both dialects: Lenslet's `fields` list and the original Lenslet's
 * `metric_keys`, `categorical_keys` and `field_capabilities`.
 *
 * Invariants: `fields` holds each name once, table and gallery columns in their order, then
 * metrics that exist only as labels (sorted). `origin` says where the values come from: a table
 * column (`table`), the label log (`labels`: written through `PUT /item/metrics`), the gallery's
 * index (`gallery`: name, size, width, height, added, prompt in folder mode). A label metric
 * overrides the table value of the same name for that item; `label_values` counts the items of
 * the scope that have one. `present + missing = scope_total`; `min`/`max` span the present values
 * of a numeric field in the scope (null when none); `values` lists a categorical's values (at
 * most 100, by count). `generation` changes whenever the data behind the fields changes (a table
 * reloaded, a folder rescanned); `seq` as in every answer carrying labels.
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, countSchema, seqSchema } from './fields.ts';

/** metric: a score; number: bookkeeping numbers (width, size, *_id); date: ms since the epoch. */
export const FIELD_KINDS = ['metric', 'number', 'date', 'categorical', 'multi', 'text'] as const;
export const FIELD_ORIGINS = ['table', 'labels', 'gallery', 'derived'] as const;

/** One cell: a number, a string, a list of strings (multi-valued), or null (missing). */
export const fieldValueSchema = z.union([z.number(), z.string(), z.array(z.string()), z.null()]);

export const fieldInfoSchema = z.object({
  name: z.string(),
  kind: z.enum(FIELD_KINDS),
  origin: z.enum(FIELD_ORIGINS),
  present: countSchema,
  missing: countSchema,
  min: z.nullable(z.number()),
  max: z.nullable(z.number()),
  distinct: z.nullable(countSchema),
  values: z.optional(z.array(z.string())),
  label_values: countSchema,
  sortable: z.boolean(),
  filterable: z.boolean(),
  /** Searched by `text_query` and `/search`. */
  searchable: z.boolean(),
});

export const fieldsAnswerSchema = z.object({
  path: canonicalPathSchema,
  seq: seqSchema,
  generation: countSchema,
  scope_total: countSchema,
  fields: z.array(fieldInfoSchema),
  // The original Lenslet's fields (its web client reads these).
  version: z.literal(1),
  generated_at: z.string(),
  metric_keys: z.array(z.string()),
  categorical_keys: z.array(z.string()),
  field_capabilities: z.record(z.string(), z.unknown()),
});

export type FieldKind = (typeof FIELD_KINDS)[number];
export type FieldOrigin = (typeof FIELD_ORIGINS)[number];
export type FieldValue = z.infer<typeof fieldValueSchema>;
export type FieldInfo = z.infer<typeof fieldInfoSchema>;
export type FieldsAnswer = z.infer<typeof fieldsAnswerSchema>;
