/**
 * Row masks for string fields: which rows hold one of a set of values (exact match), and which
 * hold a value containing a needle (case-insensitive). Category and list columns test each
 * dictionary value once, then walk the codes.
 */
import type { CategoryColumn, ListColumn, TextColumn } from './columns.ts';

/** Codes (1-based for categories, 0-based for lists) whose value passes `test`. */
function matchingCodes(
  values: readonly string[],
  test: (v: string) => boolean,
  offset: number,
): Uint8Array {
  const hits = new Uint8Array(values.length + offset);
  values.forEach((value, i) => {
    if (test(value)) hits[i + offset] = 1;
  });
  return hits;
}

/** 1 for rows whose value passes `test` (missing never does). */
export function stringMask(
  column: CategoryColumn | ListColumn | TextColumn,
  test: (value: string) => boolean,
  n: number,
): Uint8Array {
  const out = new Uint8Array(n);
  if (column.kind === 'category') {
    const hits = matchingCodes(column.values, test, 1);
    const codes = column.codes;
    for (let r = 0; r < n; r++) out[r] = hits[codes[r]!]!;
  } else if (column.kind === 'list') {
    const hits = matchingCodes(column.values, test, 0);
    const { offsets, codes } = column;
    for (let r = 0; r < n; r++) {
      for (let i = offsets[r]!; i < offsets[r + 1]!; i++) {
        if (hits[codes[i]!] === 1) {
          out[r] = 1;
          break;
        }
      }
    }
  } else {
    const values = column.values;
    for (let r = 0; r < n; r++) {
      const v = values[r];
      if (v != null && test(v)) out[r] = 1;
    }
  }
  return out;
}

/** Rows whose value contains `needle` (already lower-cased), ignoring case. */
export function containsMask(
  column: CategoryColumn | ListColumn | TextColumn,
  needle: string,
  n: number,
): Uint8Array {
  return stringMask(column, (value) => value.toLowerCase().includes(needle), n);
}
