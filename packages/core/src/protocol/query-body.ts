/**
 * The body of `POST /folders/query` (and the `filters` of `POST /export`), parsed by the server at
 * its HTTP edge; the browser only builds it (`QueryBody` in apps/web is this schema's output).
 *
 * Invariants: every object is strict, so a misspelt field is an error that names it
 * (`unknown field "filters.stras"`) rather than a filter silently ignored; all given filters must
 * hold; `limit: 0` answers only the totals and facets; without `sort` the order is the gallery's
 * name order (the same as `/folders`). Classic zod, not `zod/mini`: the server's error messages
 * name the field and the rule, and the browser never parses a query.
 */

import * as z from 'zod';
import { MAX_TAG_LENGTH, MAX_TAGS, METRIC_NAME_PATTERN } from '../labels.ts';
import { MAX_PATH_LENGTH } from '../paths.ts';

export const QUERY_DEFAULT_LIMIT = 100;
export const QUERY_MAX_LIMIT = 1000;
const MAX_METRIC_FILTERS = 64;
const MAX_NAMES = 256;

const rangeSchema = z
  .strictObject({ min: z.number().optional(), max: z.number().optional() })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
    message: 'min must not be greater than max',
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
  /** Each named metric present and within its range. */
  metrics: z
    .record(
      z.string().regex(METRIC_NAME_PATTERN, 'metric names are 1–64 of A-Z a-z 0-9 _ . : -'),
      rangeSchema,
    )
    .refine((m) => Object.keys(m).length <= MAX_METRIC_FILTERS, {
      message: `at most ${MAX_METRIC_FILTERS} metric filters`,
    })
    .optional(),
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
  z.strictObject({
    by: z.literal('metric'),
    key: z.string().regex(METRIC_NAME_PATTERN, 'metric names are 1–64 of A-Z a-z 0-9 _ . : -'),
    dir: dirSchema.default('desc'),
  }),
  z.strictObject({ by: z.literal('random'), seed: z.int().min(0).max(0xffff_ffff) }),
]);

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
});

export type FolderQuery = z.infer<typeof folderQuerySchema>;
export type QueryFilters = z.infer<typeof queryFiltersSchema>;
export type QuerySort = z.infer<typeof querySortSchema>;
export type NumberRange = z.infer<typeof rangeSchema>;
