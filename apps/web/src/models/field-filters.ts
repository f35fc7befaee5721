/**
 * Filters on table fields (the metrics panel's brushes, chips and missing toggles) as plain data,
 * their URL encoding, and the toggles the panel offers. Pure.
 *
 * URL (one parameter per field, so any field name and any value survive):
 * `r.<field>=<min>..<max>` a range (either end may be empty: `r.aesthetic=5..`),
 * `in.<field>=<value>` / `ex.<field>=<value>` (repeated) include / exclude values,
 * `miss=<field>` / `has=<field>` (repeated) only rows without / with a value.
 */
import type { Range } from '../api.ts';

export type ValueFilter = { readonly in?: readonly string[]; readonly not_in?: readonly string[] };

export type FieldFilters = {
  /** Brushes: field → inclusive range (the derived score is `@derived`). */
  readonly ranges: Readonly<Record<string, Range>>;
  /** Categorical chips: field → values included / excluded. */
  readonly values: Readonly<Record<string, ValueFilter>>;
  /** field → only rows without (`missing`) or with (`present`) a value. */
  readonly has: Readonly<Record<string, 'missing' | 'present'>>;
};

export const NO_FIELD_FILTERS: FieldFilters = { ranges: {}, values: {}, has: {} };

const num = (s: string) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);

/** Read the field filters of a URL query. */
export function readFieldFilters(p: URLSearchParams): FieldFilters {
  const ranges: Record<string, Range> = {};
  const values: Record<string, { in?: string[]; not_in?: string[] }> = {};
  const has: Record<string, 'missing' | 'present'> = {};
  for (const [key, value] of p) {
    const dot = key.indexOf('.');
    const kind = key.slice(0, dot);
    const field = key.slice(dot + 1);
    if (dot < 1 || field === '') continue;
    if (kind === 'r') {
      const [lo = '', hi = ''] = value.split('..');
      const min = num(lo);
      const max = num(hi);
      if (min === undefined && max === undefined) continue;
      if (min !== undefined && max !== undefined && min > max) continue;
      ranges[field] = {
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
      };
    } else if (kind === 'in' || kind === 'ex') {
      values[field] ??= {};
      const v = values[field];
      const side = kind === 'in' ? 'in' : 'not_in';
      v[side] = [...(v[side] ?? []), value];
    }
  }
  for (const field of p.getAll('miss')) if (field) has[field] = 'missing';
  for (const field of p.getAll('has')) if (field) has[field] = 'present';
  return { ranges, values, has };
}

/** Write the field filters into a URL query. */
export function writeFieldFilters(p: URLSearchParams, f: FieldFilters): void {
  for (const [field, r] of Object.entries(f.ranges)) {
    p.set(`r.${field}`, `${r.min ?? ''}..${r.max ?? ''}`);
  }
  for (const [field, v] of Object.entries(f.values)) {
    for (const value of v.in ?? []) p.append(`in.${field}`, value);
    for (const value of v.not_in ?? []) p.append(`ex.${field}`, value);
  }
  for (const [field, state] of Object.entries(f.has)) {
    p.append(state === 'missing' ? 'miss' : 'has', field);
  }
}

/** How many fields are filtered (each brush, chip set or missing toggle counts once). */
export const fieldFilterCount = (f: FieldFilters): number =>
  new Set([...Object.keys(f.ranges), ...Object.keys(f.values), ...Object.keys(f.has)]).size;

/** `record` with `key` set to `value`, or without `key` when `value` is null. */
export function withKey<T>(
  record: Readonly<Record<string, T>>,
  key: string,
  value: T | null,
): Record<string, T> {
  const next = { ...record };
  if (value === null) delete next[key];
  else next[key] = value;
  return next;
}

/** What a chip of `value` does in `field`'s filter now: neutral, included or excluded. */
export function chipState(v: ValueFilter | undefined, value: string): 'in' | 'out' | null {
  if (v?.in?.includes(value)) return 'in';
  if (v?.not_in?.includes(value)) return 'out';
  return null;
}

/** A click on a chip: neutral → included → excluded → neutral. */
export function cycleChip(v: ValueFilter | undefined, value: string): ValueFilter | null {
  const state = chipState(v, value);
  const inc = (v?.in ?? []).filter((x) => x !== value);
  const exc = (v?.not_in ?? []).filter((x) => x !== value);
  if (state === null) inc.push(value);
  if (state === 'in') exc.push(value);
  if (inc.length === 0 && exc.length === 0) return null;
  return { ...(inc.length ? { in: inc } : {}), ...(exc.length ? { not_in: exc } : {}) };
}

/** A click on a field's missing toggle: any → only missing → only present → any. */
export function cycleHas(state: 'missing' | 'present' | undefined): 'missing' | 'present' | null {
  if (state === undefined) return 'missing';
  return state === 'missing' ? 'present' : null;
}
