/**
 * Per-row bin codes of a numeric column over its whole range, so a histogram of the unscoped
 * table is one byte read and one increment per counted row instead of a float division.
 *
 * Invariants: `codes[row]` is the bin `binOf(value)` gives (the same function bins the floats, so
 * counts are identical), `bins` for a null cell, `bins + 1` for a NaN cell and `bins + 2` for a
 * value with no bin (an infinite value when the range is infinite: counted nowhere, as before).
 * Columns are never changed in place (a reload or a new label version makes new arrays), so the
 * cache is keyed by the array itself and dies with it.
 */

/** Bin counts up to this use codes; more fall back to binning the floats. */
export const MAX_CODED_BINS = 253;

export type Range = readonly [number, number];

/** [min, max] of the values of `rows` (every row when null), ignoring missing ones. */
export function valueRange(values: Float64Array, rows: Uint32Array | null): Range | null {
  let min = Infinity;
  let max = -Infinity;
  const count = rows ? rows.length : values.length;
  for (let i = 0; i < count; i++) {
    const v = values[rows ? rows[i]! : i]!;
    // As Math.min / Math.max: -0 is below +0 (a column holding both says min -0, max 0).
    if (v < min || (v === 0 && min === 0 && Object.is(v, -0))) min = v;
    if (v > max || (v === 0 && max === 0 && Object.is(max, -0))) max = v;
  }
  return min === Infinity ? null : [min, max];
}

/** The width of one of `bins` bins over [min, max] (a single value gets width 1 / bins). */
export function binWidth(min: number, max: number, bins: number): number {
  if (!(max > min)) return 1 / bins;
  const width = (max - min) / bins;
  // A range of denormals can underflow to 0 (then v - min = 0 would bin as 0/0 = NaN), and one
  // from about -1e308 to 1e308 overflows: keep every present value binnable.
  if (Number.isFinite(width)) return width > 0 ? width : Number.MIN_VALUE;
  return max / bins - min / bins;
}

/** The bin of a present value: values outside [min, max] go to the first or last bin. */
export function binOf(v: number, min: number, width: number, last: number): number {
  const b = Math.floor((v - min) / width);
  return b > last ? last : Math.max(b, 0);
}

function encode(values: Float64Array, nulls: Uint8Array | null, range: Range | null, bins: number) {
  const [min, max] = range ?? [0, 0];
  const width = binWidth(min, max, bins);
  const last = bins - 1;
  const codes = new Uint8Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r]!;
    if (!Number.isNaN(v)) {
      const b = binOf(v, min, width, last);
      codes[r] = Number.isNaN(b) ? bins + 2 : b;
    } else codes[r] = nulls !== null && (nulls[r >>> 3]! & (1 << (r & 7))) !== 0 ? bins : bins + 1;
  }
  return codes;
}

/** Whole-column ranges and bin codes, computed on first use and kept per column array. */
export class BinCodeCache {
  private readonly ranges = new WeakMap<Float64Array, Range | null>();
  private readonly codes = new WeakMap<Float64Array, Map<number, Uint8Array>>();

  /** [min, max] over the whole column (null when every value is missing). */
  range(values: Float64Array): Range | null {
    if (!this.ranges.has(values)) this.ranges.set(values, valueRange(values, null));
    return this.ranges.get(values)!;
  }

  /** The codes of the column for `bins` bins over its whole range (bins ≤ MAX_CODED_BINS). */
  codesOf(values: Float64Array, nulls: Uint8Array | null, bins: number): Uint8Array {
    let byBins = this.codes.get(values);
    if (!byBins) {
      byBins = new Map();
      this.codes.set(values, byBins);
    }
    let codes = byBins.get(bins);
    if (!codes) {
      codes = encode(values, nulls, this.range(values), bins);
      byBins.set(bins, codes);
    }
    return codes;
  }
}
