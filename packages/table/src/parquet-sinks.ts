/**
 * Where decoded Parquet pages go: numbers into one preallocated Float64Array (NaN + null bit for
 * nulls), strings and booleans into a dictionary builder. Dictionaries are converted once per
 * column chunk, never per row.
 */
import { StringBuilder } from './column-builders.ts';
import { type Column, type NumberColumn, newBitset } from './columns.ts';
import type { FlatPage } from './parquet-page.ts';
import { gatherScratch } from './parquet-scratch.ts';

export interface PageSink {
  dictionary(values: ArrayLike<unknown>): void;
  page(row: number, page: FlatPage): void;
  finish(name: string): Column;
}

/** `out[at + k] = dict[indices[k]]` for k < count. */
function gather(
  out: Float64Array,
  at: number,
  dict: Float64Array,
  indices: Uint32Array,
  count: number,
): void {
  for (let k = 0; k < count; k++) out[at + k] = dict[indices[k]!]!;
}

/** Spread the present values over the page's rows; null rows get NaN and a null bit. */
function scatter(
  out: Float64Array,
  nulls: Uint8Array,
  row: number,
  defs: Uint8Array,
  present: Float64Array,
  count: number,
): number {
  let j = 0;
  for (let k = 0; k < count; k++) {
    const r = row + k;
    if (defs[k] === 1) out[r] = present[j++]!;
    else {
      out[r] = Number.NaN;
      nulls[r >>> 3]! |= 1 << (r & 7);
    }
  }
  return count - j;
}

function toFloat64(values: ArrayLike<unknown>): Float64Array {
  if (values instanceof Float64Array) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? Number.NaN : Number(v as number);
  }
  return out;
}

export class NumberSink implements PageSink {
  private readonly values: Float64Array;
  private readonly nulls: Uint8Array;
  private nullCount = 0;
  private dict: Float64Array = new Float64Array(0);

  constructor(
    rowCount: number,
    private readonly temporal: boolean,
  ) {
    this.values = new Float64Array(rowCount);
    this.nulls = newBitset(rowCount);
  }

  dictionary(values: ArrayLike<unknown>): void {
    // A copy: the values may be a view into a page buffer that the next page reuses.
    this.dict = Float64Array.from(toFloat64(values));
  }

  page(row: number, { count, defs, values, indices }: FlatPage): void {
    const out = this.values;
    if (!defs) {
      if (indices) gather(out, row, this.dict, indices, count);
      else out.set(toFloat64(values ?? []).subarray(0, count), row);
      return;
    }
    const present = indices ? gatherScratch(indices.length) : toFloat64(values ?? []);
    if (indices) gather(present, 0, this.dict, indices, indices.length);
    this.nullCount += scatter(out, this.nulls, row, defs, present, count);
  }

  finish(name: string): NumberColumn {
    let nan = 0;
    let integer = true;
    const values = this.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) nan++;
      else if (integer && !Number.isInteger(v)) integer = false;
    }
    return {
      kind: 'number',
      name,
      values,
      nulls: this.nulls,
      null_count: this.nullCount,
      nan_count: nan - this.nullCount,
      integer: integer && nan < values.length,
      temporal: this.temporal,
    };
  }
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export class StringSink implements PageSink {
  private readonly builder: StringBuilder;
  private dict: string[] = [];

  constructor(rowCount: number, boolean: boolean) {
    this.builder = new StringBuilder(boolean, rowCount);
  }

  dictionary(values: ArrayLike<unknown>): void {
    this.dict = Array.from(values, toText);
  }

  page(_row: number, { count, defs, values, indices }: FlatPage): void {
    const b = this.builder;
    let j = 0;
    for (let k = 0; k < count; k++) {
      if (defs && defs[k] === 0) b.push(null);
      else if (indices) b.push(this.dict[indices[j++]!]!);
      else {
        const v = values![j++];
        b.push(v === null || v === undefined ? null : toText(v));
      }
    }
  }

  finish(name: string): Column {
    return this.builder.finish(name);
  }
}
