/**
 * The shared first half of a query and a facet request: scope, text search, caller predicates,
 * one mask per filtered field, derived scores, and the final mask.
 */
import { LensletError } from '@lenslet/core';
import type { EngineCache } from './engine-cache.ts';
import { FieldResolver } from './field-resolver.ts';
import { andInto, countMask, filterMask } from './filter-masks.ts';
import { evaluateFormula, type NormStats } from './formula-eval.ts';
import { formulaError } from './formula-tokens.ts';
import type { DerivedStatus, Filter, QueryContext, TableQuery } from './query-types.ts';
import { scopeMask } from './scope.ts';
import { containsMask, stringMask } from './string-match.ts';

export type FilterGroup = { readonly field: string; readonly mask: Uint8Array };

export type QueryPlan = {
  readonly n: number;
  readonly scope: Uint8Array | null;
  readonly scope_total: number;
  /** Scope ∧ text ∧ caller predicates without a field: never dropped by a facet. */
  readonly base: Uint8Array | null;
  /** One mask per filtered field (all its filters AND-ed). */
  readonly groups: readonly FilterGroup[];
  /** Base ∧ every group; null when nothing restricts the rows. */
  readonly final: Uint8Array | null;
  readonly filtered_total: number;
  readonly fields: FieldResolver;
  readonly derived: readonly DerivedStatus[];
};

/** a ∧ b as a new mask (or one of them when the other is null; masks are never changed). */
function and(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = a.slice();
  andInto(out, b);
  return out;
}

function textMask(
  cache: EngineCache,
  query: TableQuery,
  ctx: QueryContext,
  n: number,
): Uint8Array | null {
  const terms = (typeof query.text === 'string' ? [query.text] : (query.text ?? []))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
  let all: Uint8Array | null = null;
  for (const term of terms) {
    const mask = termMask(cache, term, ctx, n);
    if (all === null) all = mask;
    else andInto(all, mask);
  }
  return all;
}

function termMask(cache: EngineCache, needle: string, ctx: QueryContext, n: number): Uint8Array {
  const out = new Uint8Array(n);
  cache.haystack('@path').search(needle, out);
  for (const info of cache.table.fields) {
    if (info.role !== 'text') continue;
    const column = cache.table.columns.get(info.name)!;
    if (column.kind === 'text') cache.haystack(info.name).search(needle, out);
    else if (column.kind === 'category') andOr(out, containsMask(column, needle, n));
  }
  if (ctx.text) for (let r = 0; r < n; r++) if (out[r] === 0 && ctx.text(r, needle)) out[r] = 1;
  return out;
}

function andOr(into: Uint8Array, mask: Uint8Array): void {
  for (let r = 0; r < into.length; r++) into[r]! |= mask[r]!;
}

function predicateMask(test: (row: number) => boolean, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let r = 0; r < n; r++) out[r] = test(r) ? 1 : 0;
  return out;
}

function groupsOf(masks: readonly { field: string; mask: Uint8Array }[]): FilterGroup[] {
  const byField = new Map<string, Uint8Array>();
  for (const { field, mask } of masks) {
    const known = byField.get(field);
    // Masks in `keyed` are the plan's own; AND-ing twice (population, then final) is idempotent.
    if (known) andInto(known, mask);
    else byField.set(field, mask);
  }
  return [...byField].map(([field, mask]) => ({ field, mask }));
}

export function planQuery(
  cache: EngineCache,
  query: TableQuery,
  ctx: QueryContext = {},
): QueryPlan {
  const table = cache.table;
  const n = table.row_count;
  const scope = scopeMask(query.scope, table.paths, () => cache.pathOrder());
  let base = and(scope, textMask(cache, query, ctx, n));
  const keyed: { field: string; mask: Uint8Array }[] = [];
  for (const filter of ctx.filters ?? []) {
    const mask = predicateMask(filter.test, n);
    if (filter.field === undefined) base = and(base, mask);
    else keyed.push({ field: filter.field, mask });
  }
  const fields = new FieldResolver(table, cache.labelMetrics(ctx.labels ?? null));
  const derivedKeys = new Set((query.derived ?? []).map((d) => d.key));
  const plainFilters: Filter[] = [];
  const derivedFilters: Filter[] = [];
  for (const f of query.filters ?? [])
    (derivedKeys.has(f.field) ? derivedFilters : plainFilters).push(f);
  for (const f of plainFilters) keyed.push({ field: f.field, mask: filterMask(f, fields, n) });
  const derived: DerivedStatus[] = [];
  if (query.derived?.length) {
    let filtered = base;
    for (const group of groupsOf(keyed)) filtered = and(filtered, group.mask);
    for (const d of query.derived) {
      if (fields.find(d.key) && !fields.isDerived(d.key)) {
        throw new LensletError('invalid_query', `derived key "${d.key}" is already a field`, {
          details: { name: d.key },
        });
      }
      const population = d.population === 'scope' ? scope : filtered;
      const zStats: Record<string, NormStats> = {};
      const values = evaluateFormula(d.expr, formulaInputs(fields, n), n, population, zStats);
      fields.addDerived(d.key, values);
      const populationCount = countMask(population, n);
      let valid = 0;
      for (let r = 0; r < n; r++)
        if ((population === null || population[r] === 1) && !Number.isNaN(values[r]!)) valid++;
      derived.push({
        key: d.key,
        population_count: populationCount,
        valid_count: valid,
        invalid_count: populationCount - valid,
        z_stats: zStats,
      });
    }
  }
  for (const f of derivedFilters) keyed.push({ field: f.field, mask: filterMask(f, fields, n) });
  const groups = groupsOf(keyed);
  let final = base;
  for (const group of groups) final = and(final, group.mask);
  return {
    n,
    scope,
    scope_total: countMask(scope, n),
    base,
    groups,
    final,
    filtered_total: countMask(final, n),
    fields,
    derived,
  };
}

function formulaInputs(fields: FieldResolver, n: number) {
  return {
    number(name: string, pos: number): Float64Array {
      const field = fields.find(name);
      if (!field) throw formulaError(`unknown metric "${name}"`, pos, name);
      if (field.kind !== 'number')
        throw formulaError(`"${name}" is not numeric (compare it: ${name} == 'value')`, pos, name);
      return field.values;
    },
    equals(name: string, value: string, pos: number): Float64Array {
      const field = fields.find(name);
      if (!field) throw formulaError(`unknown field "${name}"`, pos, name);
      if (field.kind === 'number')
        throw formulaError(`"${name}" is numeric; == compares categorical values`, pos, name);
      const hit = stringMask(field.column, (v) => v === value, n);
      return Float64Array.from(hit);
    },
  };
}
