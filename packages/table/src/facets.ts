/**
 * Facets under a query: a histogram per numeric field, value counts per categorical field.
 *
 * "All filters except its own": every row that passes the base (scope, text, caller predicates)
 * and fails at most one field's filters is a candidate, remembering which field it failed. A
 * field's facet counts the candidates that failed nothing or failed only that field; `selected`
 * counts those that failed nothing (they pass the field's own filter too). With
 * `own_filter: 'include'` only rows passing every filter count (selected = counted).
 */
import { LensletError } from '@lenslet/core';
import type { BinCodeCache } from './bin-codes.ts';
import { categoryFacet } from './category-facet.ts';
import { type Candidates, facetCandidates } from './facet-candidates.ts';
import { type CountedList, histogram } from './histogram.ts';
import type { QueryPlan } from './query-plan.ts';
import {
  type CategoryFacet,
  type FacetRequest,
  HISTOGRAM_BINS,
  type Histogram,
} from './query-types.ts';

const MAX_BINS = 1000;

/** The rows a field counts: every row (null), or lists whose rows count as selected or not. */
function countedLists(c: Candidates, own: number): CountedList[] {
  const lists: CountedList[] = [{ rows: c.pass, selected: true }];
  const extra = own >= 0 ? c.onlyFails[own] : undefined;
  if (extra && extra.length > 0) lists.push({ rows: extra, selected: false });
  return lists;
}

export function computeFacets(
  plan: QueryPlan,
  request: FacetRequest,
  defaults: { metrics: readonly string[]; categoricals: readonly string[] },
  cache: BinCodeCache,
): { metrics: Record<string, Histogram>; categoricals: Record<string, CategoryFacet> } {
  const bins = Math.floor(request.bins ?? HISTOGRAM_BINS);
  if (!(bins >= 1 && bins <= MAX_BINS)) {
    throw new LensletError('invalid_query', `bins must be between 1 and ${MAX_BINS}`);
  }
  const include = request.own_filter === 'include';
  const c = facetCandidates(plan, include);
  const ownGroup = (name: string) =>
    include ? -1 : plan.groups.findIndex((g) => g.field === name);
  const metrics: Record<string, Histogram> = {};
  for (const name of request.metrics ?? defaults.metrics) {
    const field = plan.fields.get(name);
    if (field.kind !== 'number') {
      throw new LensletError('invalid_query', `"${name}" is not numeric; it has no histogram`, {
        details: { name },
      });
    }
    const lists = countedLists(c, ownGroup(name));
    metrics[name] = histogram(field, plan, lists, bins, request.bin_range ?? 'scope', cache);
  }
  const categoricals: Record<string, CategoryFacet> = {};
  for (const name of request.categoricals ?? defaults.categoricals) {
    const lists = countedLists(c, ownGroup(name));
    categoricals[name] = categoryFacet(plan.fields.get(name), lists, plan.n);
  }
  return { metrics, categoricals };
}
