/**
 * Columnar storage of a table: one typed array per column, never one object per row.
 *
 * Invariants:
 * - Numbers: `values[row]` is NaN when the cell is missing; bit `row` of `nulls` is set when the
 *   cell was null (a NaN cell keeps the bit clear), so null and NaN are counted apart.
 * - Categories: `codes[row]` is 0 when missing, else `k` for `values[k - 1]` (dictionary order
 *   is first appearance). Booleans are categories with values 'false'/'true'.
 * - Lists: the strings of row `r` are `values[codes[i]]` for `offsets[r] <= i < offsets[r + 1]`;
 *   bit `r` of `nulls` marks a null list (an empty list is not missing).
 * - Texts: plain strings, `null` when missing (high-cardinality strings such as paths, captions).
 */

export type Codes = Uint8Array | Uint16Array | Uint32Array;

export type NumberColumn = {
  readonly kind: 'number';
  readonly name: string;
  readonly values: Float64Array;
  readonly nulls: Uint8Array;
  readonly null_count: number;
  readonly nan_count: number;
  /** Every present value is an integer (e.g. int64 `faces`). */
  readonly integer: boolean;
  /** Milliseconds since the epoch (Parquet DATE/TIMESTAMP). */
  readonly temporal: boolean;
};

export type CategoryColumn = {
  readonly kind: 'category';
  readonly name: string;
  readonly codes: Codes;
  readonly values: readonly string[];
  readonly missing_count: number;
  readonly boolean: boolean;
};

export type ListColumn = {
  readonly kind: 'list';
  readonly name: string;
  readonly offsets: Uint32Array;
  readonly codes: Codes;
  readonly values: readonly string[];
  readonly nulls: Uint8Array;
  readonly null_count: number;
};

export type TextColumn = {
  readonly kind: 'text';
  readonly name: string;
  readonly values: readonly (string | null)[];
  readonly missing_count: number;
};

export type Column = NumberColumn | CategoryColumn | ListColumn | TextColumn;

/** A column the readers could not hold (nested structs, maps, embeddings): listed, not loaded. */
export type UnsupportedColumn = { readonly name: string; readonly reason: string };

/** What a reader hands to classification: columns in file order, all `row_count` long. */
export type RawTable = {
  readonly row_count: number;
  readonly columns: readonly Column[];
  readonly unsupported: readonly UnsupportedColumn[];
};

/** A bitset of `n` bits, all clear. */
export function newBitset(n: number): Uint8Array {
  return new Uint8Array((n + 7) >>> 3);
}

export function getBit(bits: Uint8Array, i: number): boolean {
  return (bits[i >>> 3]! & (1 << (i & 7))) !== 0;
}

export function setBit(bits: Uint8Array, i: number): void {
  bits[i >>> 3]! |= 1 << (i & 7);
}

/** The smallest code array that holds codes up to `max`. */
export function newCodes(length: number, max: number): Codes {
  if (max < 0x100) return new Uint8Array(length);
  if (max < 0x10000) return new Uint16Array(length);
  return new Uint32Array(length);
}

/** Present cells of a column (not null, not NaN, not an absent category). */
export function presentCount(column: Column, rowCount: number): number {
  switch (column.kind) {
    case 'number':
      return rowCount - column.null_count - column.nan_count;
    case 'list':
      return rowCount - column.null_count;
    default:
      return rowCount - column.missing_count;
  }
}

/** The string value of a category or text cell, `null` when missing. */
export function stringAt(column: CategoryColumn | TextColumn, row: number): string | null {
  if (column.kind === 'text') return column.values[row] ?? null;
  const code = column.codes[row]!;
  return code === 0 ? null : column.values[code - 1]!;
}

/** The strings of a list cell, `null` when the list is null. */
export function listAt(column: ListColumn, row: number): string[] | null {
  if (getBit(column.nulls, row)) return null;
  const out: string[] = [];
  for (let i = column.offsets[row]!; i < column.offsets[row + 1]!; i++) {
    out.push(column.values[column.codes[i]!]!);
  }
  return out;
}
