/**
 * Brushing a histogram, pure: the value range of a run of bins (what a drag selects), where a
 * range sits on the plot (what is drawn), one keyboard step of a brush edge, and the counts in
 * and out of the brush. The server's bins are fixed: `n` equal bins over `[min, max]`, the
 * maximum in the last bin; `min = max` is the one-value range `[min, min + 1)`.
 *
 * A brush that reaches the first (last) bin has no lower (upper) bound: the scope holds no value
 * beyond the bins, and an open end cannot lose the extreme value to rounding. A brush over every
 * bin is no filter at all (null). Inner edges are rounded to a few digits below the bin width.
 */
import type { Range } from '../api.ts';

/** What the brush math needs of a histogram: its extent and bin count. */
export type BinGrid = { readonly min: number; readonly max: number; readonly n: number };

/** Width of one bin. */
export const binWidth = (g: BinGrid): number => (g.max > g.min ? g.max - g.min : 1) / g.n;

/** The lower edge of bin `i` (`i = n` is the upper end), rounded below the bin width. */
export function edge(g: BinGrid, i: number): number {
  const w = binWidth(g);
  const digits = Math.max(0, Math.min(12, Math.ceil(-Math.log10(w)) + 2));
  return Number((g.min + i * w).toFixed(digits));
}

/** The bin under a point at `x01` (0 = left end, 1 = right end) of the plot. */
export const binAt = (g: BinGrid, x01: number): number =>
  Math.max(0, Math.min(g.n - 1, Math.floor(x01 * g.n)));

/** The range covering bins `a`..`b` (either order); null when that is every bin. */
export function rangeOfBins(g: BinGrid, a: number, b: number): Range | null {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(g.n - 1, Math.max(a, b));
  if (lo === 0 && hi === g.n - 1) return null;
  return {
    ...(lo > 0 ? { min: edge(g, lo) } : {}),
    ...(hi < g.n - 1 ? { max: edge(g, hi + 1) } : {}),
  };
}

/** Where a value sits on the plot, 0..1 (clamped). */
export function position(g: BinGrid, v: number): number {
  const span = g.max > g.min ? g.max - g.min : 1;
  return Math.max(0, Math.min(1, (v - g.min) / span));
}

/** The brushed part of the plot, [from, to] in 0..1; an open end reaches the plot's end. */
export function brushSpan(g: BinGrid, r: Range): [number, number] {
  return [
    r.min === undefined ? 0 : position(g, r.min),
    r.max === undefined ? 1 : position(g, r.max),
  ];
}

/** The bin edge (0..n) nearest to a brush end; an open end is 0 or n. */
function edgeIndex(g: BinGrid, r: Range, end: 'min' | 'max'): number {
  const v = r[end];
  if (v === undefined) return end === 'min' ? 0 : g.n;
  return Math.max(0, Math.min(g.n, Math.round(position(g, v) * g.n)));
}

/**
 * Move one end of a brush by `delta` bins (keyboard: ← →; Home/End pass ±n). The ends never
 * cross: each stays at least one bin from the other. null = the brush covers everything.
 */
export function stepEdge(g: BinGrid, r: Range, end: 'min' | 'max', delta: number): Range | null {
  let lo = edgeIndex(g, r, 'min');
  let hi = edgeIndex(g, r, 'max');
  if (end === 'min') lo = Math.max(0, Math.min(hi - 1, lo + delta));
  else hi = Math.min(g.n, Math.max(lo + 1, hi + delta));
  return rangeOfBins(g, lo, hi - 1);
}

/** Rows inside the brush, outside it (with a value), and without a value. */
export function brushCounts(h: {
  readonly selected: readonly number[];
  readonly count: number;
  readonly missing: { readonly null: number; readonly nan: number };
}): { inside: number; outside: number; missing: number } {
  let inside = 0;
  for (const c of h.selected) inside += c;
  return { inside, outside: h.count - inside, missing: h.missing.null + h.missing.nan };
}
