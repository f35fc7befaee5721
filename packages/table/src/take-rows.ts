/** A column restricted to the rows in `keep` (ascending row numbers), counts recomputed. */
import { type Column, getBit, newBitset, newCodes, setBit } from './columns.ts';

export function takeRows(column: Column, keep: Uint32Array): Column {
  const n = keep.length;
  switch (column.kind) {
    case 'number': {
      const values = new Float64Array(n);
      const nulls = newBitset(n);
      let nullCount = 0;
      let nanCount = 0;
      for (let i = 0; i < n; i++) {
        const row = keep[i]!;
        const v = column.values[row]!;
        values[i] = v;
        if (Number.isNaN(v)) {
          if (getBit(column.nulls, row)) {
            setBit(nulls, i);
            nullCount++;
          } else nanCount++;
        }
      }
      return { ...column, values, nulls, null_count: nullCount, nan_count: nanCount };
    }
    case 'category': {
      const codes = newCodes(n, column.values.length);
      let missing = 0;
      for (let i = 0; i < n; i++) {
        const code = column.codes[keep[i]!]!;
        codes[i] = code;
        if (code === 0) missing++;
      }
      return { ...column, codes, missing_count: missing };
    }
    case 'text': {
      const values: (string | null)[] = new Array(n);
      let missing = 0;
      for (let i = 0; i < n; i++) {
        const v = column.values[keep[i]!] ?? null;
        values[i] = v;
        if (v === null) missing++;
      }
      return { ...column, values, missing_count: missing };
    }
    case 'list': {
      const offsets = new Uint32Array(n + 1);
      const nulls = newBitset(n);
      let size = 0;
      let nullCount = 0;
      for (let i = 0; i < n; i++) {
        const row = keep[i]!;
        size += column.offsets[row + 1]! - column.offsets[row]!;
        offsets[i + 1] = size;
        if (getBit(column.nulls, row)) {
          setBit(nulls, i);
          nullCount++;
        }
      }
      const codes = newCodes(size, column.values.length);
      for (let i = 0; i < n; i++) {
        const row = keep[i]!;
        codes.set(
          column.codes.subarray(column.offsets[row]!, column.offsets[row + 1]!),
          offsets[i]!,
        );
      }
      return { ...column, offsets, codes, nulls, null_count: nullCount };
    }
  }
}
