/**
 * The statistics of every benchmark and proof script (pure). Percentiles are nearest-rank, the
 * same definition as the server's live-stream histogram: the q-percentile is the smallest sample
 * with at least q of all samples at or below it, so it is always a value that was measured.
 *
 *   percentile([4, 1, 3, 2], 0.5) => 2 · percentile([4, 1, 3, 2], 0.99) => 4 · median([4, 1, 3, 2]) => 2.5
 */

/** Nearest-rank percentiles of `values` (any order) for each q in [0, 1]; 0 for no values. */
export function percentiles(values: readonly number[], qs: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => {
    if (sorted.length === 0) return 0;
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
    return sorted[rank - 1]!;
  });
}

/** Nearest-rank percentile `q` (in [0, 1]) of `values`; 0 for no values. */
export function percentile(values: readonly number[], q: number): number {
  return percentiles(values, [q])[0]!;
}

/** p50, p99 and the largest value, the figures every latency line prints. */
export function latencySummary(values: readonly number[]): {
  p50: number;
  p99: number;
  max: number;
} {
  const [p50, p99, max] = percentiles(values, [0.5, 0.99, 1]);
  return { p50: p50!, p99: p99!, max: max! };
}

/**
 * The median as a mean: the middle value, or the mean of the two middle values for an even count
 * (for figures taken across runs, where a half-way value is the honest one); NaN for no values.
 */
export function median(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
