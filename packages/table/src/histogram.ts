/**
 * One metric's histogram over the rows a facet counts. Bins span the metric's range over the
 * scope (or over the counted rows); an unscoped table reads cached per-row bin codes
 * (bin-codes.ts), anything else bins the floats with the same `binOf`.
 */
import {
  type BinCodeCache,
  binOf,
  binWidth,
  MAX_CODED_BINS,
  type Range,
  valueRange,
} from './bin-codes.ts';
import type { ResolvedField } from './field-resolver.ts';
import type { QueryPlan } from './query-plan.ts';
import type { Histogram } from './query-types.ts';

/** Rows counted by a field: every row (null) or a list; `selected` rows pass its own filter too. */
export type CountedList = { readonly rows: Uint32Array | null; readonly selected: boolean };

type NumberField = Extract<ResolvedField, { kind: 'number' }>;

/**
 * Bins `rows` (every row when null) into `counts`: `bins` slots, then null, NaN and no-bin
 * counts (the layout of bin codes).
 */
function binFloats(
  values: Float64Array,
  nulls: Uint8Array | null,
  rows: Uint32Array | null,
  min: number,
  width: number,
  counts: Uint32Array,
): void {
  const bins = counts.length - 3;
  const last = bins - 1;
  const count = rows === null ? values.length : rows.length;
  for (let i = 0; i < count; i++) {
    const r = rows === null ? i : rows[i]!;
    const v = values[r]!;
    if (!Number.isNaN(v)) {
      const b = binOf(v, min, width, last);
      counts[Number.isNaN(b) ? bins + 2 : b]!++;
    } else if (nulls !== null && (nulls[r >>> 3]! & (1 << (r & 7))) !== 0) counts[bins]!++;
    else counts[bins + 1]!++;
  }
}

/**
 * The hot loop: one byte read and one increment per counted row, into four interleaved
 * sub-histograms so neighbouring rows in the same bin do not wait on each other's increment.
 */
function binCodes(codes: Uint8Array, rows: Uint32Array | null, counts: Uint32Array): void {
  const stride = 256;
  const sub = new Uint32Array(4 * stride);
  const count = rows === null ? codes.length : rows.length;
  const end = count & ~3;
  let i = 0;
  if (rows === null) {
    for (; i < end; i += 4) {
      sub[codes[i]!]!++;
      sub[stride | codes[i + 1]!]!++;
      sub[(2 * stride) | codes[i + 2]!]!++;
      sub[(3 * stride) | codes[i + 3]!]!++;
    }
    for (; i < count; i++) sub[codes[i]!]!++;
  } else {
    for (; i < end; i += 4) {
      sub[codes[rows[i]!]!]!++;
      sub[stride | codes[rows[i + 1]!]!]!++;
      sub[(2 * stride) | codes[rows[i + 2]!]!]!++;
      sub[(3 * stride) | codes[rows[i + 3]!]!]!++;
    }
    for (; i < count; i++) sub[codes[rows[i]!]!]!++;
  }
  for (let b = 0; b < counts.length; b++) {
    counts[b]! += sub[b]! + sub[stride + b]! + sub[2 * stride + b]! + sub[3 * stride + b]!;
  }
}

function union(a: Range | null, b: Range | null): Range | null {
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

export function histogram(
  field: NumberField,
  plan: QueryPlan,
  lists: readonly CountedList[],
  bins: number,
  rangeOver: 'scope' | 'counted',
  cache: BinCodeCache,
): Histogram {
  const { values, nulls } = field;
  let range: Range | null = null;
  if (rangeOver === 'counted') {
    for (const { rows } of lists) range = union(range, valueRange(values, rows));
  } else if (plan.scope === null) range = cache.range(values);
  else range = valueRange(values, scopeRows(plan.scope));
  const [min, max] = range ?? [0, 0];
  const coded =
    rangeOver === 'scope' &&
    plan.scope === null &&
    field.source !== 'derived' &&
    bins <= MAX_CODED_BINS;
  const codes = coded ? cache.codesOf(values, nulls, bins) : null;
  const width = binWidth(min, max, bins);
  const counts = new Uint32Array(bins + 3);
  let selected = new Uint32Array(0);
  for (const list of lists) {
    if (codes) binCodes(codes, list.rows, counts);
    else binFloats(values, nulls, list.rows, min, width, counts);
    if (list.selected) selected = counts.slice(0, bins);
  }
  let count = 0;
  for (let b = 0; b < bins; b++) count += counts[b]!;
  const nullCount = counts[bins]!;
  const nanCount = counts[bins + 1]!;
  return {
    min: range ? min : null,
    max: range ? max : null,
    bins: Array.from(counts.subarray(0, bins)),
    selected: selected.length === bins ? Array.from(selected) : new Array<number>(bins).fill(0),
    count,
    missing: { null: nullCount, nan: nanCount },
    total: count + nullCount + nanCount,
  };
}
