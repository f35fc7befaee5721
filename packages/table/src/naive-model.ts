/**
 * A direct, row-by-row model of the fixture (from rows.json, not from our reader) that the
 * engine tests compare against: objects per row, comparator sorts, plain loops. Test-only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Filter } from './query-types.ts';
import { ORIGINAL_DIR, type OriginalRows } from './test-support.ts';

export type NaiveRow = {
  row: number;
  path: string;
  metrics: Record<string, number | null>;
  nan: Record<string, boolean>;
  strings: Record<string, string | null>;
  keywords: string[] | null;
};

export const original = JSON.parse(
  readFileSync(join(ORIGINAL_DIR, 'rows.json'), 'utf8'),
) as OriginalRows;

export const naiveRows: NaiveRow[] = original.rows.map((r, row) => ({
  row,
  path: `/${r.image_path}`,
  metrics: r.metrics,
  nan: r.nan,
  strings: { ...r.categoricals, caption: r.caption },
  keywords: r.keywords,
}));

export const METRICS = original.metric_columns;

export function fieldValue(r: NaiveRow, field: string): number | string | string[] | null {
  if (field in r.metrics) return r.metrics[field] ?? null;
  if (field === 'keywords') return r.keywords;
  return r.strings[field] ?? null;
}

export function passes(r: NaiveRow, f: Filter): boolean {
  const v = fieldValue(r, f.field);
  switch (f.kind) {
    case 'range':
      return typeof v === 'number' && v >= (f.min ?? -Infinity) && v <= (f.max ?? Infinity);
    case 'in':
      return Array.isArray(v)
        ? v.some((x) => f.values.includes(x))
        : typeof v === 'string' && f.values.includes(v);
    case 'not_in':
      return Array.isArray(v)
        ? !v.some((x) => f.values.includes(x))
        : !(typeof v === 'string' && f.values.includes(v));
    case 'missing':
      return v === null;
    case 'present':
      return v !== null;
  }
}

export function textHit(r: NaiveRow, needle: string): boolean {
  const n = needle.toLowerCase();
  return r.path.toLowerCase().includes(n) || (r.strings.caption ?? '').toLowerCase().includes(n);
}

/** Rows sorted by a field: missing last in both directions, ties by path ascending. */
export function naiveSort(rows: NaiveRow[], key: string, descending: boolean): NaiveRow[] {
  const byPath = (a: NaiveRow, b: NaiveRow) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  if (key === '@row') return [...rows].sort((a, b) => (descending ? b.row - a.row : a.row - b.row));
  if (key === '@path') return [...rows].sort((a, b) => (descending ? byPath(b, a) : byPath(a, b)));
  return [...rows].sort((a, b) => {
    const x = fieldValue(a, key) as number | string | null;
    const y = fieldValue(b, key) as number | string | null;
    if (x === null || y === null)
      return x === null && y === null ? byPath(a, b) : x === null ? 1 : -1;
    if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    return byPath(a, b);
  });
}
