/**
 * A view in the words of the original Lenslet's web client: the `filters: {and}` and `sort:
 * {kind, key, dir}` it keeps in a saved view (smart folder). Lenslet's client writes them beside
 * its own query (`search`) when it saves a view, so the original's client, which shares the
 * views through `/views`, opens the view with its filters and sort too. Only what the original
 * has a clause for is written (stars, name, notes, width, height, field ranges, categorical
 * values, the sorts it knows); the rest stays in `search` alone. Pure.
 */

import { DERIVED_FIELD } from '@lenslet/core';
import type { Range } from '../api.ts';
import type { ViewState } from './view-state.ts';

type Clause = Record<string, Record<string, unknown>>;

export type OriginalView = {
  readonly filters: { readonly and: readonly Clause[] };
  readonly sort?: {
    readonly kind: 'builtin' | 'metric';
    readonly key: string;
    readonly dir: string;
  };
  readonly selectedMetric: string | null;
  readonly derivedMetric: null;
};

function compares(kind: 'widthCompare' | 'heightCompare', range: Range): Clause[] {
  const out: Clause[] = [];
  if (range.min !== undefined) out.push({ [kind]: { op: '>=', value: range.min } });
  if (range.max !== undefined) out.push({ [kind]: { op: '<=', value: range.max } });
  return out;
}

function sortOf(view: ViewState): OriginalView['sort'] {
  const { sort, dir } = view;
  if (sort === 'added' || sort === 'name' || sort === 'random') {
    return { kind: 'builtin', key: sort, dir };
  }
  if (sort.startsWith('metric:') && sort !== `metric:${DERIVED_FIELD}`) {
    return { kind: 'metric', key: sort.slice('metric:'.length), dir };
  }
  return undefined;
}

export function originalViewOf(view: ViewState): OriginalView {
  const and: Clause[] = [];
  if (view.stars.length > 0) {
    // The original counts unrated as 0.
    const values = [...new Set(view.stars.map((s) => s ?? 0))].sort();
    and.push({ starsIn: { values } });
  }
  if (view.name !== '') and.push({ nameContains: { value: view.name } });
  if (view.notes !== '') and.push({ notesContains: { value: view.notes } });
  and.push(...compares('widthCompare', view.width), ...compares('heightCompare', view.height));
  for (const [key, range] of Object.entries(view.ranges)) {
    if (key === DERIVED_FIELD) continue;
    const ends = {
      ...(range.min === undefined ? {} : { min: range.min }),
      ...(range.max === undefined ? {} : { max: range.max }),
    };
    and.push({ metricRange: { key, ...ends } });
  }
  for (const [key, filter] of Object.entries(view.values)) {
    if (filter.in?.length) and.push({ categoricalIn: { key, values: [...filter.in] } });
  }
  const sort = sortOf(view);
  return {
    filters: { and },
    ...(sort ? { sort } : {}),
    selectedMetric: sort?.kind === 'metric' ? sort.key : null,
    derivedMetric: null,
  };
}
