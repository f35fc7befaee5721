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

const MAX_BINS = 1000;

/**
 * Rows a facet may count: `pass` = rows passing the base and every group (null = every row);
 * `onlyFails[g]` = rows passing the base and every group but g (empty with own_filter include).
 * A field filtered by group g counts pass ∪ onlyFails[g]; any other field counts pass.
 */
type Candidates = { readonly pass: Uint32Array | null; readonly onlyFails: readonly Uint32Array[] };

function candidates(plan: QueryPlan, include: boolean): Candidates {
  const { n, base, groups } = plan;
  if (base === null && groups.length === 0) return { pass: null, onlyFails: [] };
  const masks = groups.map((g) => g.mask);
  const g = masks.length;
  const pass = new Uint32Array(n);
  const failRows = new Uint32Array(include ? 0 : n);
  const failGroup = new Uint16Array(include ? 0 : n);
  const perGroup = new Uint32Array(g);
  let k = 0;
  let f = 0;
  for (let r = 0; r < n; r++) {
    if (base !== null && base[r] === 0) continue;
    let failed = 0;
    let which = -1;
    for (let i = 0; i < g; i++) {
      if (masks[i]![r] === 0) {
        failed++;
        which = i;
        if (failed > 1) break;
      }
    }
    if (failed === 0) pass[k++] = r;
    else if (failed === 1 && !include) {
      failRows[f] = r;
      failGroup[f++] = which;
      perGroup[which]!++;
    }
  }
  const onlyFails = Array.from(perGroup, (count) => new Uint32Array(count));
  const filled = new Uint32Array(g);
  for (let i = 0; i < f; i++) {
    const group = failGroup[i]!;
    onlyFails[group]![filled[group]!++] = failRows[i]!;
  }
  return { pass: pass.slice(0, k), onlyFails };
}

/** The rows a field counts: every row (null), or lists whose rows count as selected or not. */
function countedLists(
  c: Candidates,
  own: number,
): { rows: Uint32Array | null; selected: boolean }[] {
  const lists = [{ rows: c.pass, selected: true }];
  const extra = own >= 0 ? c.onlyFails[own] : undefined;
  if (extra && extra.length > 0) lists.push({ rows: extra, selected: false });
  return lists;
}

/** [min, max] of the values of `rows` (every row when null), ignoring missing ones. */
function valueRange(values: Float64Array, rows: Uint32Array | null): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  const count = rows ? rows.length : values.length;
  for (let i = 0; i < count; i++) {
    const v = values[rows ? rows[i]! : i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min === Infinity ? null : [min, max];
}

type BinTotals = { missing: number; nulls: number };

/** The hot loops: bin the values of `rows` (or of every row) into `counts`. */
function binValues(
  values: Float64Array,
  nulls: Uint8Array | null,
  rows: Uint32Array | null,
  min: number,
  width: number,
  counts: Uint32Array,
  totals: BinTotals,
): void {
  const last = counts.length - 1;
  let missing = 0;
  let nullCount = 0;
  if (rows === null) {
    for (let r = 0; r < values.length; r++) {
      const v = values[r]!;
      if (Number.isNaN(v)) {
        missing++;
        if (nulls !== null && (nulls[r >>> 3]! & (1 << (r & 7))) !== 0) nullCount++;
        continue;
      }
      const b = Math.floor((v - min) / width);
      counts[b > last ? last : Math.max(b, 0)]!++;
    }
  } else {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const v = values[r]!;
      if (Number.isNaN(v)) {
        missing++;
        if (nulls !== null && (nulls[r >>> 3]! & (1 << (r & 7))) !== 0) nullCount++;
        continue;
      }
      const b = Math.floor((v - min) / width);
      counts[b > last ? last : Math.max(b, 0)]!++;
    }
  }
  totals.missing += missing;
  totals.nulls += nullCount;
}

function histogram(
  field: Extract<ResolvedField, { kind: 'number' }>,
  plan: QueryPlan,
  c: Candidates,
  own: number,
  bins: number,
  rangeOver: 'scope' | 'counted',
  ranges: RangeCache,
): Histogram {
  const { values, nulls } = field;
  const lists = countedLists(c, own);
  let range: [number, number] | null = null;
  if (rangeOver === 'counted') {
    for (const { rows } of lists) range = union(range, valueRange(values, rows));
  } else if (plan.scope === null) range = ranges(values);
  else range = valueRange(values, scopeRows(plan.scope));
  const [min, max] = range ?? [0, 0];
  const width = (max > min ? max - min : 1) / bins;
  const counts = new Uint32Array(bins);
  const selected = new Uint32Array(bins);
  const totals = { missing: 0, nulls: 0 };
  for (const list of lists) {
    if (list.selected) {
      binValues(values, nulls, list.rows, min, width, selected, totals);
      counts.set(selected);
    } else binValues(values, nulls, list.rows, min, width, counts, totals);
  }
  let count = 0;
  for (const x of counts) count += x;
  return {
    min: range ? min : null,
    max: range ? max : null,
    bins: Array.from(counts),
    selected: Array.from(selected),
    count,
    missing: { null: totals.nulls, nan: totals.missing - totals.nulls },
    total: count + totals.missing,
  };
}

function union(a: [number, number] | null, b: [number, number] | null): [number, number] | null {
  if (!a) return b;
  if (!b) return a;
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

function scopeRows(scope: Uint8Array): Uint32Array {
  let k = 0;
  for (let r = 0; r < scope.length; r++) k += scope[r]!;
  const rows = new Uint32Array(k);
  k = 0;
  for (let r = 0; r < scope.length; r++) if (scope[r] === 1) rows[k++] = r;
  return rows;
}

/** [min, max] over a whole column, cached by the caller (null when every value is missing). */
export type RangeCache = (values: Float64Array) => [number, number] | null;

/** A range cache keyed by the column array itself (columns are never changed in place). */
export function createRangeCache(): RangeCache {
  const known = new WeakMap<Float64Array, [number, number] | null>();
  return (values) => {
    if (!known.has(values)) known.set(values, valueRange(values, null));
    return known.get(values)!;
  };
}

/** Calls `visit(row, selected)` for every row a field with group index `own` counts. */
function eachCounted(
  c: Candidates,
  own: number,
  n: number,
  visit: (row: number, selected: boolean) => void,
): void {
  for (const { rows, selected } of countedLists(c, own)) {
    if (rows === null) for (let r = 0; r < n; r++) visit(r, selected);
    else for (let i = 0; i < rows.length; i++) visit(rows[i]!, selected);
  }
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
  ranges: RangeCache,
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
    metrics[name] = histogram(
      field,
      plan,
      c,
      ownGroup(name),
      bins,
      request.bin_range ?? 'scope',
      ranges,
    );
  }
  const categoricals: Record<string, CategoryFacet> = {};
  for (const name of request.categoricals ?? defaults.categoricals) {
    categoricals[name] = categoryFacet(plan.fields.get(name), plan, c, ownGroup(name));
  }
  return { metrics, categoricals };
}
