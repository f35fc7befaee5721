/**
 * Growable builders that turn cells into the typed columns of `columns.ts`. Readers push one
 * cell per row; `finish` trims and hands over the arrays. Strings are dictionary-encoded while
 * they have at most `MAX_DICTIONARY_SIZE` distinct values and fall back to a plain text array.
 */
import {
  type CategoryColumn,
  type Codes,
  type ListColumn,
  type NumberColumn,
  newBitset,
  setBit,
  type TextColumn,
} from './columns.ts';

export const MAX_DICTIONARY_SIZE = 0xffff;

function grow<T extends Float64Array | Uint8Array | Uint16Array | Uint32Array>(
  array: T,
  needed: number,
): T {
  if (needed <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

export class NumberBuilder {
  private values: Float64Array;
  private nulls: Uint8Array;
  length = 0;
  private nullCount = 0;
  private nanCount = 0;
  private integer = true;

  constructor(capacity = 1024) {
    this.values = new Float64Array(capacity);
    this.nulls = newBitset(capacity);
  }

  private reserve(): void {
    if (this.length < this.values.length) return;
    this.values = grow(this.values, this.length + 1);
    this.nulls = grow(this.nulls, (this.values.length + 7) >>> 3);
  }

  /** A number; NaN counts as a NaN cell, not a null one. */
  push(value: number): void {
    this.reserve();
    this.values[this.length++] = value;
    if (Number.isNaN(value)) this.nanCount++;
    else if (this.integer && !Number.isInteger(value)) this.integer = false;
  }

  pushNull(): void {
    this.reserve();
    this.values[this.length] = Number.NaN;
    setBit(this.nulls, this.length++);
    this.nullCount++;
  }

  /** Cell `i` for replaying into another builder: a number, NaN, or null. */
  at(i: number): number | null {
    const v = this.values[i]!;
    if (Number.isNaN(v) && (this.nulls[i >>> 3]! & (1 << (i & 7))) !== 0) return null;
    return v;
  }

  finish(name: string, temporal = false): NumberColumn {
    const n = this.length;
    return {
      kind: 'number',
      name,
      values: this.values.length === n ? this.values : this.values.slice(0, n),
      nulls: this.nulls.slice(0, (n + 7) >>> 3),
      null_count: this.nullCount,
      nan_count: this.nanCount,
      integer: this.integer && n > this.nullCount + this.nanCount,
      temporal,
    };
  }
}

/** Strings (or booleans, as 'false'/'true') with a dictionary while it stays small. */
export class StringBuilder {
  private dict = new Map<string, number>();
  private dictValues: string[] = [];
  private codes: Uint16Array | null;
  private text: (string | null)[] | null = null;
  length = 0;
  private missing = 0;

  constructor(
    private readonly boolean = false,
    capacity = 1024,
  ) {
    this.codes = new Uint16Array(capacity);
  }

  push(value: string | null): void {
    if (value === null) this.missing++;
    if (this.text) {
      this.text.push(value);
      this.length++;
      return;
    }
    let code = 0;
    if (value !== null) {
      const known = this.dict.get(value);
      if (known !== undefined) code = known;
      else if (this.dictValues.length < MAX_DICTIONARY_SIZE) {
        this.dictValues.push(value);
        code = this.dictValues.length;
        this.dict.set(value, code);
      } else {
        this.toText();
        this.text!.push(value);
        this.length++;
        return;
      }
    }
    this.codes = grow(this.codes!, this.length + 1);
    this.codes[this.length++] = code;
  }

  private toText(): void {
    const text: (string | null)[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const code = this.codes![i]!;
      text[i] = code === 0 ? null : this.dictValues[code - 1]!;
    }
    this.text = text;
    this.codes = null;
    this.dict.clear();
  }

  at(i: number): string | null {
    if (this.text) return this.text[i] ?? null;
    const code = this.codes![i]!;
    return code === 0 ? null : this.dictValues[code - 1]!;
  }

  finish(name: string): CategoryColumn | TextColumn {
    if (this.text) return { kind: 'text', name, values: this.text, missing_count: this.missing };
    const n = this.length;
    const codes: Codes =
      this.dictValues.length < 0x100
        ? Uint8Array.from(this.codes!.subarray(0, n))
        : this.codes!.slice(0, n);
    return {
      kind: 'category',
      name,
      codes,
      values: this.dictValues,
      missing_count: this.missing,
      boolean: this.boolean,
    };
  }
}

/** Lists of strings (multi-valued categories); null elements inside a list are dropped. */
export class ListBuilder {
  private offsets = new Uint32Array(1025);
  private codes = new Uint32Array(1024);
  private nulls = newBitset(1024);
  private dict = new Map<string, number>();
  private dictValues: string[] = [];
  length = 0;
  private size = 0;
  private nullCount = 0;

  push(list: readonly unknown[] | null): void {
    this.offsets = grow(this.offsets, this.length + 2);
    this.nulls = grow(this.nulls, ((this.length + 1 + 7) >>> 3) + 1);
    if (list === null) {
      setBit(this.nulls, this.length);
      this.nullCount++;
    } else {
      for (const item of list) {
        if (item === null || item === undefined) continue;
        const value = String(item);
        let code = this.dict.get(value);
        if (code === undefined) {
          code = this.dictValues.length;
          this.dictValues.push(value);
          this.dict.set(value, code);
        }
        this.codes = grow(this.codes, this.size + 1);
        this.codes[this.size++] = code;
      }
    }
    this.offsets[++this.length] = this.size;
  }

  at(i: number): string[] | null {
    if ((this.nulls[i >>> 3]! & (1 << (i & 7))) !== 0) return null;
    const out: string[] = [];
    for (let k = this.offsets[i]!; k < this.offsets[i + 1]!; k++) {
      out.push(this.dictValues[this.codes[k]!]!);
    }
    return out;
  }

  finish(name: string): ListColumn {
    const size = this.size;
    const max = this.dictValues.length;
    const codes: Codes =
      max < 0x100
        ? Uint8Array.from(this.codes.subarray(0, size))
        : max < 0x10000
          ? Uint16Array.from(this.codes.subarray(0, size))
          : this.codes.slice(0, size);
    return {
      kind: 'list',
      name,
      offsets: this.offsets.slice(0, this.length + 1),
      codes,
      values: this.dictValues,
      nulls: this.nulls.slice(0, (this.length + 7) >>> 3),
      null_count: this.nullCount,
    };
  }
}
