/**
 * The body of `POST /folders/query` (and the `filters` of `POST /export`, the body of
 * `POST /folders/facets` and `/folders/fields`) in Lenslet's own dialect, parsed by the server at
 * its HTTP edge; the browser only builds it (`QueryBody` in apps/web is this schema's output).
 * The original Lenslet's dialect (`filters: {and: [...]}`, `sort: {kind, key}`) is another schema
 * (original-query-body.ts); the server tells them apart by shape and runs both as one query.
 *
 * Invariants: every object is strict, so a misspelt field is an error that names it
 * (`unknown field "filters.stras"`) rather than a filter silently ignored; all given filters must
 * hold; `limit: 0` answers only the totals and facets; without `sort` the order is the gallery's
 * name order (the same as `/folders`). A field is any name of `/folders/fields` (a table column,
 * a label metric, a gallery column such as `width` or `prompt`) or `@derived`, the query's derived
 * score. A label metric overrides the table value of the same name for that item. Missing values
 * (null, NaN, no label) never pass a range and sort last in both directions. Classic zod, not
 * `zod/mini`: the server's error messages name the field and the rule, and the browser never
 * parses a query.
 */

import * as z from 'zod';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../labels.ts';
import { MAX_PATH_LENGTH } from '../paths.ts';
import { hasControlChar } from '../text.ts';

export const QUERY_DEFAULT_LIMIT = 100;
export const QUERY_MAX_LIMIT = 1000;
/** Longest derived formula accepted. */
export const MAX_FORMULA_CHARS = 4000;
const MAX_FIELD_FILTERS = 64;
const MAX_NAMES = 256;
const MAX_VALUES = 1000;

/** A field name: a column of the table, a label metric, a gallery column, or `@derived`. */
export const fieldNameSchema = z
  .string()
  .min(1, 'a field name must not be empty')
  .max(256, 'field names are at most 256 characters')
  .refine((name) => !hasControlChar(name), { message: 'a field name has no control characters' });

const rangeSchema = z
  .strictObject({ min: z.number().optional(), max: z.number().optional() })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
    message: 'min must not be greater than max',
  });

const valueListSchema = z.array(z.string().max(1000)).max(MAX_VALUES);

/** Categorical include/exclude: rows holding any of `in` (list fields: any element), none of `not_in`. */
const valuesFilterSchema = z
  .strictObject({ in: valueListSchema.optional(), not_in: valueListSchema.optional() })
  .refine((v) => v.in !== undefined || v.not_in !== undefined, {
    message: 'give "in" or "not_in"',
  });

const fieldRecord = <T extends z.ZodType>(value: T) =>
  z.record(fieldNameSchema, value).refine((m) => Object.keys(m).length <= MAX_FIELD_FILTERS, {
    message: `at most ${MAX_FIELD_FILTERS} fields`,
  });

const tagListSchema = z.array(z.string().min(1).max(MAX_TAG_LENGTH)).max(MAX_TAGS);

export const queryFiltersSchema = z.strictObject({
  /** Any of these stars; `null` means unrated. */
  star: z
    .array(z.union([z.null(), z.int().min(0).max(5)]))
    .max(7)
    .optional(),
  tags: z
    .strictObject({
      any: tagListSchema.optional(),
      all: tagListSchema.optional(),
      none: tagListSchema.optional(),
    })
    .optional(),
  /** Notes contain this text (case-insensitive). */
  notes: z.string().min(1).max(1000).optional(),
  /** true: only images with notes; false: only images without. */
  has_notes: z.boolean().optional(),
  /** File name contains this text (case-insensitive). */
  name: z.string().min(1).max(1000).optional(),
  width: rangeSchema.optional(),
  height: rangeSchema.optional(),
  /** Each named numeric field (metric, label metric, number, `@derived`) present and in range. */
  metrics: fieldRecord(rangeSchema).optional(),
  /** Each named categorical (or list) field: include / exclude values. */
  values: fieldRecord(valuesFilterSchema).optional(),
  /** Fields that must be missing (null, NaN, absent) … */
  missing: z.array(fieldNameSchema).max(MAX_FIELD_FILTERS).optional(),
  /** … and fields that must be present. */
  present: z.array(fieldNameSchema).max(MAX_FIELD_FILTERS).optional(),
  /** Last labelled by any of these people. */
  updated_by: z.array(z.string().min(1).max(256)).max(MAX_NAMES).optional(),
  /** Labelled at or after this time (ISO 8601). */
  updated_since: z.iso.datetime({ offset: true }).optional(),
});

const dirSchema = z.enum(['asc', 'desc']);

export const querySortSchema = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('added'), dir: dirSchema.default('desc') }),
  z.strictObject({ by: z.literal('name'), dir: dirSchema.default('asc') }),
  z.strictObject({ by: z.literal('star'), dir: dirSchema.default('desc') }),
  z.strictObject({ by: z.literal('updated_at'), dir: dirSchema.default('desc') }),
  /** Any field: a metric, a number, a categorical or text column, or `@derived`. */
  z.strictObject({ by: z.literal('metric'), key: fieldNameSchema, dir: dirSchema.default('desc') }),
  /** The table's own row order (its file order; folder mode: name order). */
  z.strictObject({ by: z.literal('row'), dir: dirSchema.default('asc') }),
  z.strictObject({ by: z.literal('random'), seed: z.int().min(0).max(0xffff_ffff) }),
]);

/**
 * A derived score over numeric fields: `0.7*aesthetic + 0.3*z(clip_score) - 2*nsfw` (grammar in
 * docs/api.md: + - * /, parentheses, z/rank/minmax normalisation, abs, log, sqrt, min, max,
 * coalesce, `field == 'value'`). Its value is the field `@derived`. z/rank/minmax are computed
 * over `population`: the rows passing every other filter (`filtered`, default) or the scope.
 */
export const derivedSchema = z.strictObject({
  formula: z.string().min(1, 'the formula is empty').max(MAX_FORMULA_CHARS),
  name: z.string().max(200).optional(),
  population: z.enum(['filtered', 'scope']).optional(),
});

export const folderQuerySchema = z.strictObject({
  path: z.string().max(MAX_PATH_LENGTH).default('/'),
  recursive: z.boolean().default(false),
  offset: z.int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  /** 0 answers only the totals and facets. */
  limit: z.int().min(0).max(QUERY_MAX_LIMIT).default(QUERY_DEFAULT_LIMIT),
  filters: queryFiltersSchema.default({}),
  /** Absent: the gallery's name order (the same order as `/folders`). */
  sort: querySortSchema.optional(),
  text_query: z.string().max(1000).default(''),
  derived: derivedSchema.optional(),
  /** Fields each item carries in `fields` (a projection); absent: none. */
  fields: z.array(fieldNameSchema).max(MAX_FIELD_FILTERS).optional(),
  /** With `offset: 0`: place the window so this item sits in its middle (when it passes). */
  anchor: z.string().max(MAX_PATH_LENGTH).optional(),
});

export type FolderQuery = z.infer<typeof folderQuerySchema>;
export type QueryFilters = z.infer<typeof queryFiltersSchema>;
export type QuerySort = z.infer<typeof querySortSchema>;
export type NumberRange = z.infer<typeof rangeSchema>;
export type DerivedFormula = z.infer<typeof derivedSchema>;

/**
 * `POST /folders/facets` in Lenslet's dialect: a query body plus which fields to facet (default:
 * every metric, categorical and list field, and `@derived`) and the number of histogram bins
 * (default 40). Paging and sort are accepted and ignored.
 */
export const facetsQuerySchema = folderQuerySchema.extend({
  facets: z
    .strictObject({
      fields: z.array(fieldNameSchema).max(MAX_FIELD_FILTERS).optional(),
      bins: z.int().min(1).max(1000).optional(),
    })
    .optional(),
});

export type FacetsQuery = z.infer<typeof facetsQuerySchema>;
