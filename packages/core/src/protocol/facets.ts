/**
 * The answer of `POST /folders/facets` with a Lenslet query body (the body of `/folders/query`
 * plus `facets: {fields?, bins?}`): what the metrics panel draws for the current scope.
 *
 * Invariants: each histogram counts the scope's rows under every filter *except* the field's own
 * (so a brush can be widened again); `selected[i]` is the part of `bins[i]` that also passes the
 * field's own filter (the brushed part); bins are fixed: `bins.length` equal bins over the
 * field's full range in the scope (`min`..`max`, the maximum in the last bin; `min = max` → one
 * value range `[min, min + 1)`), so they do not move while filters change. `count` = Σ bins;
 * missing values are counted apart: `count + missing.null + missing.nan = total`. A categorical's
 * `values` are sorted by count, then value, each with its `selected` part; `Σ count + missing =
 * total` (a list field counts a row once per value). `star` as in the query answer.
 * `@derived` gets a histogram when the query has a derived score.
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, countSchema, seqSchema } from './fields.ts';
import { derivedStatusSchema, starFacetSchema } from './query-answer.ts';

export const histogramSchema = z.object({
  min: z.nullable(z.number()),
  max: z.nullable(z.number()),
  bins: z.array(countSchema),
  selected: z.array(countSchema),
  count: countSchema,
  missing: z.object({ null: countSchema, nan: countSchema }),
  total: countSchema,
});

export const categoryFacetSchema = z.object({
  values: z.array(z.object({ value: z.string(), count: countSchema, selected: countSchema })),
  missing: countSchema,
  total: countSchema,
});

export const facetsAnswerSchema = z.object({
  path: canonicalPathSchema,
  seq: seqSchema,
  generation: countSchema,
  scope_total: countSchema,
  filtered_total: countSchema,
  star: starFacetSchema,
  histograms: z.record(z.string(), histogramSchema),
  categories: z.record(z.string(), categoryFacetSchema),
  derived: z.nullable(derivedStatusSchema),
});

export type Histogram = z.infer<typeof histogramSchema>;
export type CategoryFacet = z.infer<typeof categoryFacetSchema>;
export type FacetsAnswer = z.infer<typeof facetsAnswerSchema>;
