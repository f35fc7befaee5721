/**
 * The body of `POST /folders/query` and `/folders/facets` in the original Lenslet's dialect (its
 * web client and scripts send it; recorded in shared/original-api/query.json), parsed by the
 * server at its edge and translated into the same engine query as Lenslet's own dialect.
 *
 * Invariants (the original's): unknown keys are refused (status 422 there and here); `filters`
 * is `{and: [clause…]}`, every clause an object with exactly one key; `limit` is 1–1,000;
 * `metricRange` bounds are inclusive and `min ≤ max`; a `sort` of kind `metric` may name a
 * metric or `@derived/<id>` of the body's `derived_metric`. Classic zod (server-side only).
 */
import * as z from 'zod';
import { MAX_PATH_LENGTH } from '../paths.ts';

const text = z.string().max(1000);
const values = z.strictObject({ values: z.array(z.int().min(0).max(5)).max(6) });
const contains = z.strictObject({ value: text });
const compare = z.strictObject({ op: z.enum(['<', '<=', '>', '>=']), value: z.number() });
const key = z.string().min(1).max(256);

const clauseSchema = z
  .strictObject({
    starsIn: values.optional(),
    starsNotIn: values.optional(),
    nameContains: contains.optional(),
    nameNotContains: contains.optional(),
    notesContains: contains.optional(),
    notesNotContains: contains.optional(),
    urlContains: contains.optional(),
    urlNotContains: contains.optional(),
    dateRange: z
      .strictObject({ from: z.string().max(64).nullish(), to: z.string().max(64).nullish() })
      .optional(),
    widthCompare: compare.optional(),
    heightCompare: compare.optional(),
    metricRange: z
      .strictObject({ key, min: z.number(), max: z.number() })
      .refine((r) => r.min <= r.max, { message: 'min must not be greater than max' })
      .optional(),
    categoricalIn: z
      .strictObject({ key, values: z.array(z.string().max(1000)).max(1000) })
      .optional(),
  })
  .refine((clause) => Object.keys(clause).length === 1, {
    message: 'a filter clause has exactly one key (e.g. {"starsIn": {"values": [5]}})',
  });

const derivedMetricSchema = z.strictObject({
  version: z.literal(1).optional(),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/, 'ids are 1–80 of A-Z a-z 0-9 _ -'),
  name: z.string().max(200).nullish(),
  intercept: z.number().default(0),
  numericTerms: z
    .array(
      z.strictObject({
        key,
        weight: z.number(),
        missing: z.enum(['zero', 'invalid']).default('zero'),
        zNormalize: z.boolean().default(false),
      }),
    )
    .max(64)
    .default([]),
  categoricalTerms: z
    .array(z.strictObject({ key, value: z.string().max(1000), weight: z.number() }))
    .max(64)
    .default([]),
});

const keysSchema = (metrics: number, categoricals: number) =>
  z.strictObject({
    metric_keys: z.array(key).max(metrics).default([]),
    categorical_keys: z.array(key).max(categoricals).default([]),
  });

export const originalQuerySchema = z.strictObject({
  path: z.string().max(MAX_PATH_LENGTH).default('/'),
  recursive: z.boolean().default(false),
  offset: z.int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.int().min(1).max(1000).default(1000),
  filters: z.strictObject({ and: z.array(clauseSchema).max(64) }).default({ and: [] }),
  sort: z
    .discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('builtin'),
        key: z.enum(['added', 'name', 'random']),
        dir: z.enum(['asc', 'desc']).default('desc'),
      }),
      z.strictObject({
        kind: z.literal('metric'),
        key,
        dir: z.enum(['asc', 'desc']).default('desc'),
      }),
    ])
    .nullish(),
  text_query: text.nullish(),
  random_seed: z.union([z.string().max(256), z.int()]).nullish(),
  derived_metric: derivedMetricSchema.nullish(),
  unsupported_metric_intent: z.unknown().optional(),
  projection: keysSchema(64, 32).nullish(),
  facet_fields: keysSchema(24, 24).nullish(),
  anchor_path: z.string().max(MAX_PATH_LENGTH).nullish(),
});

export type OriginalQuery = z.infer<typeof originalQuerySchema>;
export type OriginalClause = z.infer<typeof clauseSchema>;
export type OriginalDerivedMetricBody = z.infer<typeof derivedMetricSchema>;

const ORIGINAL_ONLY = [
  'derived_metric',
  'projection',
  'facet_fields',
  'random_seed',
  'anchor_path',
  'unsupported_metric_intent',
];

/**
 * True when a body is in the original's dialect: `filters: {and}`, `sort: {kind}`, one of its own
 * fields, or `text_query: null`. An empty body is Lenslet's (the answers differ only in shape).
 */
export function isOriginalBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  const has = (value: unknown, name: string) =>
    typeof value === 'object' && value !== null && Object.hasOwn(value, name);
  return (
    has(b.filters, 'and') ||
    has(b.sort, 'kind') ||
    ORIGINAL_ONLY.some((name) => Object.hasOwn(b, name)) ||
    (Object.hasOwn(b, 'text_query') && b.text_query === null)
  );
}
