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
import { getBit } from './columns.ts';
import type { ResolvedField } from './field-resolver.ts';
import type { QueryPlan } from './query-plan.ts';
import {
  type CategoryFacet,
  type FacetRequest,
  HISTOGRAM_BINS,
  type Histogram,
} from './query-types.ts';

const NONE = 255;
const MAX_BINS = 1000;

type Candidates = {
  /** Candidate rows (null = every row, none failing). */
  readonly rows: Uint32Array | null;
  /** Per candidate: index of the one group it fails, or NONE. */
  readonly failed: Uint8Array | null;
};

function candidates(plan: QueryPlan, include: boolean): Candidates {
  const { n, base, groups } = plan;
  if (groups.length >= NONE) {
    throw new LensletError('invalid_query', `too many filtered fields (${groups.length})`);
  }
  if (base === null && groups.length === 0) return { rows: null, failed: null };
  const rows: number[] = [];
  const failed: number[] = [];
  for (let r = 0; r < n; r++) {
    if (base !== null && base[r] === 0) continue;
    let fails = 0;
    let which = NONE;
    for (let g = 0; g < groups.length && fails < 2; g++) {
      if (groups[g]!.mask[r] === 0) {
        fails++;
        which = g;
      }
    }
    if (fails === 0 || (fails === 1 && !include)) {
      rows.push(r);
      failed.push(fails === 0 ? NONE : which);
    }
  }
  return { rows: Uint32Array.from(rows), failed: Uint8Array.from(failed) };
}

/** Calls `visit(row, selected)` for every row a field with group index `own` counts. */
function eachCounted(
  c: Candidates,
  own: number,
  n: number,
  visit: (row: number, selected: boolean) => void,
): void {
  if (c.rows === null) {
    for (let r = 0; r < n; r++) visit(r, true);
    return;
  }
  const { rows, failed } = c;
  for (let i = 0; i < rows.length; i++) {
    const f = failed![i]!;
    if (f === NONE) visit(rows[i]!, true);
    else if (f === own) visit(rows[i]!, false);
  }
}

function scopeRange(values: Float64Array, scope: Uint8Array | null): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < values.length; r++) {
    if (scope !== null && scope[r] === 0) continue;
    const v = values[r]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min === Infinity ? null : [min, max];
}

function histogram(
  field: Extract<ResolvedField, { kind: 'number' }>,
  plan: QueryPlan,
  c: Candidates,
  own: number,
  bins: number,
  rangeOver: 'scope' | 'counted',
): Histogram {
  const { values, nulls } = field;
  let range: [number, number] | null;
  if (rangeOver === 'scope') range = scopeRange(values, plan.scope);
  else {
    let min = Infinity;
    let max = -Infinity;
    eachCounted(c, own, plan.n, (r) => {
      const v = values[r]!;
      if (v < min) min = v;
      if (v > max) max = v;
    });
    range = min === Infinity ? null : [min, max];
  }
  const counts = new Array<number>(bins).fill(0);
  const selected = new Array<number>(bins).fill(0);
  let count = 0;
  let nullCount = 0;
  let nanCount = 0;
  const [min, max] = range ?? [0, 0];
  const width = (max > min ? max - min : 1) / bins;
  eachCounted(c, own, plan.n, (r, sel) => {
    const v = values[r]!;
    if (Number.isNaN(v)) {
      if (nulls !== null && getBit(nulls, r)) nullCount++;
      else nanCount++;
      return;
    }
    let b = Math.floor((v - min) / width);
    if (b >= bins) b = bins - 1;
    else if (b < 0) b = 0;
    counts[b]!++;
    if (sel) selected[b]!++;
    count++;
  });
  return {
    min: range ? min : null,
    max: range ? max : null,
    bins: counts,
    selected,
    count,
    missing: { null: nullCount, nan: nanCount },
    total: count + nullCount + nanCount,
  };
}

function categoryFacet(
  field: ResolvedField,
  plan: QueryPlan,
  c: Candidates,
  own: number,
): CategoryFacet {
  if (field.kind !== 'category' && field.kind !== 'list') {
    throw new LensletError(
      'invalid_query',
      `"${field.name}" is not categorical (it is ${field.kind})`,
      {
        details: { name: field.name },
      },
    );
  }
  const { column } = field;
  const size = column.values.length;
  const counts = new Uint32Array(size);
  const selected = new Uint32Array(size);
  let missing = 0;
  let total = 0;
  if (column.kind === 'category') {
    const codes = column.codes;
    eachCounted(c, own, plan.n, (r, sel) => {
      total++;
      const code = codes[r]!;
      if (code === 0) missing++;
      else {
        counts[code - 1]!++;
        if (sel) selected[code - 1]!++;
      }
    });
  } else {
    const { offsets, codes, nulls } = column;
    eachCounted(c, own, plan.n, (r, sel) => {
      total++;
      if (getBit(nulls, r)) {
        missing++;
        return;
      }
      for (let i = offsets[r]!; i < offsets[r + 1]!; i++) {
        counts[codes[i]!]!++;
        if (sel) selected[codes[i]!]!++;
      }
    });
  }
  const values = column.values
    .map((value, i) => ({ value, count: counts[i]!, selected: selected[i]! }))
    .filter((v) => v.count > 0)
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { values, missing, total };
}

export function computeFacets(
  plan: QueryPlan,
  request: FacetRequest,
  defaults: { metrics: readonly string[]; categoricals: readonly string[] },
): { metrics: Record<string, Histogram>; categoricals: Record<string, CategoryFacet> } {
  const bins = Math.floor(request.bins ?? HISTOGRAM_BINS);
  if (!(bins >= 1 && bins <= MAX_BINS)) {
    throw new LensletError('invalid_query', `bins must be between 1 and ${MAX_BINS}`);
  }
  const include = request.own_filter === 'include';
  const c = candidates(plan, include);
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
    metrics[name] = histogram(field, plan, c, ownGroup(name), bins, request.bin_range ?? 'scope');
  }
  const categoricals: Record<string, CategoryFacet> = {};
  for (const name of request.categoricals ?? defaults.categoricals) {
    categoricals[name] = categoryFacet(plan.fields.get(name), plan, c, ownGroup(name));
  }
  return { metrics, categoricals };
}
