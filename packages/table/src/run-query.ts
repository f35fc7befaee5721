/**
 * The second half of a query: order the rows that pass and cut the window. Cached full orders
 * (per field and direction) are walked with the final mask and the walk stops once the window
 * is full; query-dependent orders (derived scores, random) sort only the rows that pass.
 */
import { LensletError } from '@lenslet/core';
import type { EngineCache } from './engine-cache.ts';
import type { QueryPlan } from './query-plan.ts';
import type { QueryContext, QueryResult, TableQuery } from './query-types.ts';
import { sortRowsByKey } from './radix-sort.ts';
import { rowOf } from './table.ts';

export const DEFAULT_LIMIT = 1000;

/** FNV-1a over seed and path: a stable pseudo-random key per (seed, row). */
function randomKeys(paths: readonly string[], seed: string): Float64Array {
  const out = new Float64Array(paths.length);
  let seedHash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++)
    seedHash = Math.imul(seedHash ^ seed.charCodeAt(i), 0x01000193);
  for (let r = 0; r < paths.length; r++) {
    const path = paths[r]!;
    let h = Math.imul(seedHash ^ 0, 0x01000193);
    for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
    out[r] = h >>> 0;
  }
  return out;
}

/** Rows passing `final`, in path order. */
function passingInPathOrder(order: Uint32Array, final: Uint8Array | null): Uint32Array {
  if (final === null) return order;
  const out: number[] = [];
  for (let i = 0; i < order.length; i++) if (final[order[i]!] === 1) out.push(order[i]!);
  return Uint32Array.from(out);
}

type Ordering =
  | { kind: 'full'; order: Uint32Array | null; descending: boolean }
  | { kind: 'passing'; rows: Uint32Array };

function ordering(cache: EngineCache, plan: QueryPlan, query: TableQuery): Ordering {
  const key = query.sort?.key ?? '@row';
  const descending = query.sort?.dir === 'desc';
  if (key === '@row') return { kind: 'full', order: null, descending };
  if (key === '@name')
    return { kind: 'full', order: cache.nameSort(descending), descending: false };
  if (key === '@path')
    return { kind: 'full', order: cache.pathSort(descending), descending: false };
  if (key === '@random') {
    const keys = randomKeys(cache.table.paths, String(query.sort?.seed ?? ''));
    return {
      kind: 'passing',
      rows: sortRowsByKey(passingInPathOrder(cache.pathOrder(), plan.final), keys, descending),
    };
  }
  const field = plan.fields.get(key, 'sort field');
  if (field.kind === 'list') {
    throw new LensletError('invalid_query', `cannot sort by "${key}": it holds lists`, {
      details: { name: key },
    });
  }
  const order = cache.fieldOrder(field, descending);
  if (order) return { kind: 'full', order, descending: false };
  const values = (field as { values: Float64Array }).values;
  return {
    kind: 'passing',
    rows: sortRowsByKey(passingInPathOrder(cache.pathOrder(), plan.final), values, descending),
  };
}

/** Calls `visit(row, position)` for passing rows in order until it returns false. */
function walk(
  o: Ordering,
  plan: QueryPlan,
  visit: (row: number, position: number) => boolean,
): void {
  if (o.kind === 'passing') {
    for (let i = 0; i < o.rows.length; i++) if (!visit(o.rows[i]!, i)) return;
    return;
  }
  const { final, n } = plan;
  let position = 0;
  for (let i = 0; i < n; i++) {
    const row = o.order ? o.order[i]! : o.descending ? n - 1 - i : i;
    if (final !== null && final[row] === 0) continue;
    if (!visit(row, position++)) return;
  }
}

/** Counts per bucket over the rows passing the base and every group but `tally.field`'s. */
export function tallyOf(plan: QueryPlan, tally: NonNullable<QueryContext['tally']>): number[] {
  const counts = new Array<number>(tally.buckets).fill(0);
  const masks = plan.groups.filter((g) => g.field !== tally.field).map((g) => g.mask);
  const { base, n } = plan;
  rows: for (let r = 0; r < n; r++) {
    if (base !== null && base[r] === 0) continue;
    for (const mask of masks) if (mask[r] === 0) continue rows;
    const b = tally.bucket(r);
    if (b >= 0 && b < counts.length) counts[b]!++;
  }
  return counts;
}

export function runQuery(
  cache: EngineCache,
  plan: QueryPlan,
  query: TableQuery,
  ctx: QueryContext = {},
): QueryResult {
  const limit = Math.max(0, Math.floor(query.limit ?? DEFAULT_LIMIT));
  let offset = Math.max(0, Math.floor(query.offset ?? 0));
  const o = ordering(cache, plan, query);
  const anchorRow = query.anchor ? rowOf(cache.table, query.anchor) : undefined;
  if (anchorRow !== undefined && (plan.final === null || plan.final[anchorRow] === 1)) {
    walk(o, plan, (row, position) => {
      if (row !== anchorRow) return true;
      offset = Math.max(0, Math.min(position - Math.floor(limit / 2), plan.filtered_total - limit));
      return false;
    });
  }
  const rows: number[] = [];
  if (limit > 0 && offset < plan.filtered_total) {
    walk(o, plan, (row, position) => {
      if (position >= offset) rows.push(row);
      return rows.length < limit;
    });
  }
  const derivedValues: Record<string, (number | null)[]> = {};
  for (const { key } of plan.derived) {
    const values = plan.fields.numbers(key);
    derivedValues[key] = rows.map((row) => (Number.isNaN(values[row]!) ? null : values[row]!));
  }
  return {
    scope_total: plan.scope_total,
    filtered_total: plan.filtered_total,
    offset,
    limit,
    rows: Uint32Array.from(rows),
    derived: plan.derived,
    derived_values: derivedValues,
    tally: ctx.tally ? tallyOf(plan, ctx.tally) : null,
  };
}
