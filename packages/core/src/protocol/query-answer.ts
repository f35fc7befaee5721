/**
 * The answer of `POST /folders/query` (Lenslet's dialect): one page of the images that pass the
 * filters, in the requested order, with totals and star facets.
 *
 * Invariants: `total` counts the scope before filters, `filtered_total` after them; every order
 * is deterministic (ties by path), so `offset` pages partition the result; `offset` is where the
 * window starts (an `anchor` moves it); `facets.star` counts, for each star (`null` = unrated),
 * the images passing every filter except the star filter (what each star chip would show), every
 * key always present; `seq` as in every answer carrying labels. `derived` is the status of the
 * query's derived score (null without one): `population_count` rows fed z/rank/minmax, of which
 * `valid_count` got a score. `generation` as in `/folders/fields`: it changes when the data does.
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, countSchema, seqSchema } from './fields.ts';
import { itemViewSchema } from './item-view.ts';

export const STAR_KEYS = ['null', '0', '1', '2', '3', '4', '5'] as const;

export const starFacetSchema = z.record(z.enum(STAR_KEYS), countSchema);

export const derivedStatusSchema = z.object({
  key: z.string(),
  formula: z.string(),
  name: z.nullable(z.string()),
  population_count: countSchema,
  valid_count: countSchema,
  invalid_count: countSchema,
  /** Mean, standard deviation (population) and count of each z-normalised input. */
  z_stats: z.record(
    z.string(),
    z.object({ mean: z.number(), std: z.number(), count: countSchema }),
  ),
});

export const queryAnswerSchema = z.object({
  path: canonicalPathSchema,
  seq: seqSchema,
  items: z.array(itemViewSchema),
  total: countSchema,
  filtered_total: countSchema,
  offset: countSchema,
  limit: countSchema,
  facets: z.object({ star: starFacetSchema }),
  derived: z.optional(z.nullable(derivedStatusSchema)),
  generation: z.optional(countSchema),
});

/** A star as a facet key: `'null'` (unrated) or `'0'`–`'5'`. */
export type StarKey = (typeof STAR_KEYS)[number];
export type StarFacet = z.infer<typeof starFacetSchema>;
export type DerivedStatus = z.infer<typeof derivedStatusSchema>;
export type QueryAnswer = z.infer<typeof queryAnswerSchema>;
