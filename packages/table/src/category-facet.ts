/**
 * Value counts of one categorical or multi-valued field over the rows a facet counts, with no
 * per-row callback: slot 0 counts missing cells, slot k + 1 counts `values[k]`.
 */
import { LensletError } from '@lenslet/core';
import type { CategoryColumn, Codes, ListColumn } from './columns.ts';
import type { ResolvedField } from './field-resolver.ts';
import type { CountedList } from './histogram.ts';
import type { CategoryFacet } from './query-types.ts';

/** Category codes are already 0 for missing and k + 1 for `values[k]`. */
function countCodes(codes: Codes, rows: Uint32Array | null, counts: Uint32Array): void {
  if (rows === null) for (let r = 0; r < codes.length; r++) counts[codes[r]!]!++;
  else for (let i = 0; i < rows.length; i++) counts[codes[rows[i]!]!]!++;
}

/** A list counts once per string it holds; a null list counts as missing (an empty one not). */
function countLists(column: ListColumn, rows: Uint32Array | null, n: number, counts: Uint32Array) {
  const { offsets, codes, nulls } = column;
  const count = rows === null ? n : rows.length;
  for (let i = 0; i < count; i++) {
    const r = rows === null ? i : rows[i]!;
    if ((nulls[r >>> 3]! & (1 << (r & 7))) !== 0) counts[0]!++;
    else for (let k = offsets[r]!; k < offsets[r + 1]!; k++) counts[codes[k]! + 1]!++;
  }
}

export function categoryFacet(
  field: ResolvedField,
  lists: readonly CountedList[],
  n: number,
): CategoryFacet {
  if (field.kind !== 'category' && field.kind !== 'list') {
    throw new LensletError(
      'invalid_query',
      `"${field.name}" is not categorical (it is ${field.kind})`,
      { details: { name: field.name } },
    );
  }
  const column: CategoryColumn | ListColumn = field.column;
  const counts = new Uint32Array(column.values.length + 1);
  let selected = new Uint32Array(counts.length);
  let total = 0;
  for (const list of lists) {
    if (column.kind === 'category') countCodes(column.codes, list.rows, counts);
    else countLists(column, list.rows, n, counts);
    total += list.rows === null ? n : list.rows.length;
    if (list.selected) selected = counts.slice();
  }
  const values = column.values
    .map((value, i) => ({ value, count: counts[i + 1]!, selected: selected[i + 1]! }))
    .filter((v) => v.count > 0)
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { values, missing: counts[0]!, total };
}
