/**
 * The answer of `POST /folders/query`: one page of the images that pass the filters, in the
 * requested order, with totals and star facets.
 *
 * Invariants: `total` counts the scope before filters, `filtered_total` after them; every order
 * is deterministic, so `offset` pages partition the result; `facets.star` counts, for each star
 * (`null` = unrated), the images passing every filter except the star filter (what each star
 * chip would show), every key always present; `seq` as in every answer carrying labels.
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, countSchema, seqSchema } from './fields.ts';
import { itemViewSchema } from './item-view.ts';

export const STAR_KEYS = ['null', '0', '1', '2', '3', '4', '5'] as const;

export const starFacetSchema = z.record(z.enum(STAR_KEYS), countSchema);

export const queryAnswerSchema = z.object({
  path: canonicalPathSchema,
  seq: seqSchema,
  items: z.array(itemViewSchema),
  total: countSchema,
  filtered_total: countSchema,
  offset: countSchema,
  limit: countSchema,
  facets: z.object({ star: starFacetSchema }),
});

/** A star as a facet key: `'null'` (unrated) or `'0'`–`'5'`. */
export type StarKey = (typeof STAR_KEYS)[number];
export type StarFacet = z.infer<typeof starFacetSchema>;
export type QueryAnswer = z.infer<typeof queryAnswerSchema>;
