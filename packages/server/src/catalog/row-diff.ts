/**
 * What changed between two versions of a table, by item path: rows added, removed, and changed
 * (a row whose path is in both and any cell of a column present in both differs; a column added
 * or removed changes every row). Pure; O(rows × columns).
 */
import { type Column, getBit, rowOf, type Table } from '@lenslet/table';

export type RowDiff = {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
};

function sameCell(a: Column, ra: number, b: Column, rb: number): boolean {
  switch (a.kind) {
    case 'number': {
      const x = a.values[ra]!;
      const y = (b as typeof a).values[rb]!;
      if (Number.isNaN(x) || Number.isNaN(y))
        return (
          Number.isNaN(x) &&
          Number.isNaN(y) &&
          getBit(a.nulls, ra) === getBit((b as typeof a).nulls, rb)
        );
      return x === y;
    }
    case 'category': {
      const c = b as typeof a;
      const x = a.codes[ra]!;
      const y = c.codes[rb]!;
      return (x === 0 ? null : a.values[x - 1]) === (y === 0 ? null : c.values[y - 1]);
    }
    case 'text':
      return (a.values[ra] ?? null) === ((b as typeof a).values[rb] ?? null);
    case 'list': {
      const c = b as typeof a;
      if (getBit(a.nulls, ra) !== getBit(c.nulls, rb)) return false;
      const la = a.offsets[ra + 1]! - a.offsets[ra]!;
      if (la !== c.offsets[rb + 1]! - c.offsets[rb]!) return false;
      for (let i = 0; i < la; i++) {
        if (a.values[a.codes[a.offsets[ra]! + i]!] !== c.values[c.codes[c.offsets[rb]! + i]!])
          return false;
      }
      return true;
    }
  }
}

export function diffTables(before: Table, after: Table): RowDiff {
  const pairs: Column[][] = [];
  let schemaChanged = before.columns.size !== after.columns.size;
  for (const [name, column] of after.columns) {
    const old = before.columns.get(name);
    if (!old || old.kind !== column.kind) schemaChanged = true;
    else pairs.push([old, column]);
  }
  let kept = 0;
  let changed = 0;
  for (let row = 0; row < after.row_count; row++) {
    const old = rowOf(before, after.paths[row]!);
    if (old === undefined) continue;
    kept++;
    if (schemaChanged || pairs.some(([a, b]) => !sameCell(a!, old, b!, row))) changed++;
  }
  return { added: after.row_count - kept, removed: before.row_count - kept, changed };
}
