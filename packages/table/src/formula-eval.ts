/**
 * Vectorised evaluation of a formula over every row: one Float64Array per node (NaN = no value).
 * z(), rank() and minmax() are computed over the population rows (the rows that pass the
 * query's non-derived filters); a division that does not give a finite number gives no value.
 */
import type { Expr } from './formula.ts';

export type FormulaInputs = {
  /** Values of a numeric field (NaN = missing); must not be modified. */
  number(name: string, pos: number): Float64Array;
  /** 1 where the categorical field holds `value`, else 0. */
  equals(name: string, value: string, pos: number): Float64Array;
};

export type NormStats = { mean: number; std: number; count: number };

type Value = number | Float64Array;

function populationValues(values: Float64Array, population: Uint8Array | null): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if ((population === null || population[i] === 1) && !Number.isNaN(values[i]!)) count++;
  }
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if ((population === null || population[i] === 1) && !Number.isNaN(v)) out[k++] = v;
  }
  return out;
}

function zScore(
  values: Float64Array,
  population: Uint8Array | null,
): { out: Float64Array; stats: NormStats } {
  const sample = populationValues(values, population);
  let sum = 0;
  for (const v of sample) sum += v;
  const mean = sample.length ? sum / sample.length : 0;
  let sq = 0;
  for (const v of sample) sq += (v - mean) * (v - mean);
  const std = sample.length ? Math.sqrt(sq / sample.length) : 0;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Number.isNaN(v) ? Number.NaN : std === 0 ? 0 : (v - mean) / std;
  }
  return { out, stats: { mean, std, count: sample.length } };
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rank(values: Float64Array, population: Uint8Array | null): Float64Array {
  const sorted = populationValues(values, population).sort();
  const n = sorted.length;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v) || n === 0) {
      out[i] = Number.NaN;
      continue;
    }
    if (n === 1) {
      out[i] = 0.5;
      continue;
    }
    const lower = lowerBound(sorted, v);
    let upper = lower;
    while (upper < n && sorted[upper] === v) upper++;
    const average = upper > lower ? (lower + upper - 1) / 2 : lower - 0.5;
    out[i] = Math.min(1, Math.max(0, average / (n - 1)));
  }
  return out;
}

function minmax(values: Float64Array, population: Uint8Array | null): Float64Array {
  const sample = populationValues(values, population);
  let min = Infinity;
  let max = -Infinity;
  for (const v of sample) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min;
  return values.map((v) => (Number.isNaN(v) ? Number.NaN : span > 0 ? (v - min) / span : 0));
}

function map(a: Value, f: (x: number) => number, n: number): Value {
  if (typeof a === 'number') return f(a);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(a[i]!);
  return out;
}

function zip(a: Value, b: Value, f: (x: number, y: number) => number, n: number): Value {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = f(typeof a === 'number' ? a : a[i]!, typeof b === 'number' ? b : b[i]!);
  return out;
}

const finiteOrNaN = (x: number) => (Number.isFinite(x) ? x : Number.NaN);

function vector(v: Value, n: number): Float64Array {
  return typeof v === 'number' ? new Float64Array(n).fill(v) : v;
}

/** Evaluate over `n` rows; `zStats` receives the statistics of every z() over a field. */
export function evaluateFormula(
  expr: Expr,
  inputs: FormulaInputs,
  n: number,
  population: Uint8Array | null,
  zStats: Record<string, NormStats> = {},
): Float64Array {
  const walk = (e: Expr): Value => {
    switch (e.kind) {
      case 'number':
        return e.value;
      case 'field':
        return inputs.number(e.name, e.pos);
      case 'equals': {
        const hit = inputs.equals(e.name, e.value, e.pos);
        return e.negate ? map(hit, (x) => 1 - x, n) : hit;
      }
      case 'negate':
        return map(walk(e.arg), (x) => -x, n);
      case 'binary': {
        const a = walk(e.left);
        const b = walk(e.right);
        switch (e.op) {
          case '+':
            return zip(a, b, (x, y) => x + y, n);
          case '-':
            return zip(a, b, (x, y) => x - y, n);
          case '*':
            return zip(a, b, (x, y) => x * y, n);
          case '/':
            return zip(a, b, (x, y) => finiteOrNaN(x / y), n);
        }
        break;
      }
      case 'call': {
        const args = e.args.map(walk);
        const first = args[0]!;
        switch (e.fn) {
          case 'z': {
            const { out, stats } = zScore(vector(first, n), population);
            const arg = e.args[0]!;
            if (arg.kind === 'field') zStats[arg.name] = stats;
            return out;
          }
          case 'rank':
            return rank(vector(first, n), population);
          case 'minmax':
            return minmax(vector(first, n), population);
          case 'abs':
            return map(first, Math.abs, n);
          case 'log':
            return map(first, (x) => (x > 0 ? Math.log(x) : Number.NaN), n);
          case 'sqrt':
            return map(first, (x) => (x >= 0 ? Math.sqrt(x) : Number.NaN), n);
          case 'min':
            return args.reduce((a, b) =>
              zip(a, b, (x, y) => (x < y || Number.isNaN(x) ? x : y), n),
            );
          case 'max':
            return args.reduce((a, b) =>
              zip(a, b, (x, y) => (x > y || Number.isNaN(x) ? x : y), n),
            );
          case 'coalesce':
            return args.reduce((a, b) => zip(a, b, (x, y) => (Number.isNaN(x) ? y : x), n));
        }
      }
    }
    throw new Error('unreachable formula node');
  };
  const result = walk(expr);
  if (typeof result === 'number') return vector(result, n);
  // A bare field or test returns an input array itself: hand out a copy the caller may keep.
  return expr.kind === 'field' || expr.kind === 'equals' ? result.slice() : result;
}
