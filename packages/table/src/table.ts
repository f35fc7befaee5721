/**
 * A loaded table: columns (see columns.ts), the item path of every row, the field list, and what
 * was left out. Rows keep the file's order, so the row number is the "original position" sort key.
 * Rows without a usable path are skipped and counted by reason (never silently): no value,
 * an invalid path (e.g. `..`), or a path already taken by an earlier row (the first one wins).
 */
import type { CanonicalPath } from '@lenslet/core';
import { classifyColumn, type FieldInfo, findPathColumn, wellKnownColumns } from './classify.ts';
import type { WellKnownField } from './column-names.ts';
import { type Column, type RawTable, stringAt, type UnsupportedColumn } from './columns.ts';
import { simplePathHash, toItemPath } from './item-path.ts';
import { PathIndex } from './path-index.ts';
import { takeRows } from './take-rows.ts';

export type TableFormat = 'parquet' | 'csv' | 'tsv' | 'jsonl';

export type SkipReason = 'missing_path' | 'invalid_path' | 'duplicate_path';

/** A row left out; `row` is its 0-based position among the file's data rows. */
export type SkippedRow = {
  readonly row: number;
  readonly reason: SkipReason;
  readonly value: string | null;
  /** For a duplicate: the row that kept the path. */
  readonly first_row?: number;
};

/** At most this many examples per reason are kept in `skipped.examples`. */
export const MAX_SKIPPED_EXAMPLES = 100;

export type Table = {
  readonly file: string;
  readonly format: TableFormat;
  readonly row_count: number;
  readonly path_column: string;
  readonly paths: readonly CanonicalPath[];
  /** Every loaded column by name, the path column included. */
  readonly columns: ReadonlyMap<string, Column>;
  /** Every loaded column in file order, with its role. */
  readonly fields: readonly FieldInfo[];
  readonly well_known: Partial<Record<WellKnownField, string>>;
  readonly unsupported: readonly UnsupportedColumn[];
  readonly skipped: {
    readonly counts: Readonly<Record<SkipReason, number>>;
    readonly examples: readonly SkippedRow[];
  };
  /** Position in the file of each kept row (identity when nothing was skipped). */
  readonly file_rows: Uint32Array;
  /** Item path → row (see `rowOf`). */
  readonly path_index: PathIndex;
};

export type TableOptions = {
  readonly file: string;
  readonly format: TableFormat;
  readonly path_column?: string | null;
  /** Absolute image paths under this folder become relative item paths. */
  readonly base_dir?: string | null;
};

export function createTable(raw: RawTable, options: TableOptions): Table {
  const pathColumn = findPathColumn(
    raw.columns,
    raw.row_count,
    options.path_column ?? null,
    options.file,
  );
  const source = pathColumn as Extract<Column, { kind: 'text' | 'category' }>;
  const counts: Record<SkipReason, number> = {
    missing_path: 0,
    invalid_path: 0,
    duplicate_path: 0,
  };
  const examples: SkippedRow[] = [];
  const skip = (entry: SkippedRow) => {
    counts[entry.reason]++;
    if (counts[entry.reason] <= MAX_SKIPPED_EXAMPLES) examples.push(entry);
  };
  const paths: CanonicalPath[] = [];
  const kept: number[] = [];
  const index = new PathIndex(paths, raw.row_count);
  const baseDir = options.base_dir ?? null;
  for (let row = 0; row < raw.row_count; row++) {
    const value = stringAt(source, row);
    if (value === null || value.trim() === '') {
      skip({ row, reason: 'missing_path', value });
      continue;
    }
    const hash = baseDir === null ? simplePathHash(value) : -1;
    const path = hash >= 0 ? (`/${value}` as CanonicalPath) : toItemPath(value, baseDir);
    if (path === null) {
      skip({ row, reason: 'invalid_path', value });
      continue;
    }
    paths.push(path);
    const first = hash >= 0 ? index.add(paths.length - 1, hash) : index.add(paths.length - 1);
    if (first >= 0) {
      paths.pop();
      skip({ row, reason: 'duplicate_path', value, first_row: kept[first]! });
      continue;
    }
    kept.push(row);
  }
  const fileRows = Uint32Array.from(kept);
  const compact = fileRows.length < raw.row_count;
  const columns = new Map<string, Column>();
  for (const column of raw.columns)
    columns.set(column.name, compact ? takeRows(column, fileRows) : column);
  const rowCount = paths.length;
  const fields = [...columns.values()].map((column): FieldInfo => {
    const info = classifyColumn(column, rowCount);
    return column.name === pathColumn.name
      ? { ...info, role: 'path', reason: 'image column' }
      : info;
  });
  return {
    file: options.file,
    format: options.format,
    row_count: rowCount,
    path_column: pathColumn.name,
    paths,
    columns,
    fields,
    well_known: wellKnownColumns(fields),
    unsupported: raw.unsupported,
    skipped: { counts, examples },
    file_rows: fileRows,
    path_index: index,
  };
}

/** The row of an item path, or undefined when the table has no such item. */
export function rowOf(table: Table, path: string): number | undefined {
  const row = table.path_index.get(path);
  return row < 0 ? undefined : row;
}

/** Names of the fields with a role, in file order. */
export function fieldsWithRole(table: Table, role: FieldInfo['role']): string[] {
  return table.fields.filter((f) => f.role === role).map((f) => f.name);
}
