/**
 * Label metrics merged over table metrics: for every metric name that has at least one label
 * value on a row of this table, a copy of the table column (or an all-missing column when the
 * table has no such metric) with the label values written over it.
 */
import { type NumberColumn, newBitset, setBit } from './columns.ts';
import type { LabelMetrics } from './query-types.ts';
import { rowOf, type Table } from './table.ts';

export type MergedMetric = {
  readonly values: Float64Array;
  readonly nulls: Uint8Array;
  /** True when the table has no column of this name. */
  readonly labels_only: boolean;
};

export function mergeLabelMetrics(table: Table, labels: LabelMetrics): Map<string, MergedMetric> {
  const merged = new Map<
    string,
    { values: Float64Array; nulls: Uint8Array; labels_only: boolean }
  >();
  const n = table.row_count;
  for (const [path, metrics] of labels.items) {
    const row = rowOf(table, path);
    if (row === undefined) continue;
    for (const [name, value] of Object.entries(metrics)) {
      if (value === null || value === undefined || Number.isNaN(value)) continue;
      let entry = merged.get(name);
      if (!entry) {
        const column = table.columns.get(name);
        if (column && column.kind === 'number') {
          entry = {
            values: column.values.slice(),
            nulls: column.nulls.slice(),
            labels_only: false,
          };
        } else if (column) {
          continue; // a label metric never overrides a non-numeric column
        } else {
          const nulls = newBitset(n);
          for (let i = 0; i < n; i++) setBit(nulls, i);
          entry = { values: new Float64Array(n).fill(Number.NaN), nulls, labels_only: true };
        }
        merged.set(name, entry);
      }
      entry.values[row] = value;
      entry.nulls[row >>> 3]! &= ~(1 << (row & 7));
    }
  }
  return merged;
}

/** Is this column a number column of the table? */
export function isNumberColumn(column: unknown): column is NumberColumn {
  return (column as NumberColumn | undefined)?.kind === 'number';
}
