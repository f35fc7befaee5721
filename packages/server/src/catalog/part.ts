/**
 * A part of what is served, as rows for the query engine: the folders' images (the gallery
 * index as columns, optionally joined with a table by path), or one table under its prefix.
 * Item paths in a part's table are the served (prefixed) paths.
 */
import type { CanonicalPath } from '@lenslet/core';
import type { FieldInfo, NumberColumn, Table } from '@lenslet/table';
import type { TableSource } from './table-source.ts';

/** Column names of Lenslet's built-in fields in a part's table (null: the part has none). */
export type KnownFields = {
  readonly width: string | null;
  readonly height: string | null;
  readonly added: string | null;
  readonly size: string | null;
};

export type PartTable = {
  readonly table: Table;
  readonly known: KnownFields;
  /** Columns that come from the files, not from a table (origin `gallery` in the field list). */
  readonly gallery_fields: ReadonlySet<string>;
};

/** A table joined to this part, and how many of its rows found an image. */
export type JoinedTable = { readonly source: TableSource; readonly matched: number | null };

export interface CatalogPart {
  /** Changes whenever the part's rows or values change. */
  generation(): number;
  /** The part's rows (built when the generation changed, else cached). */
  build(): PartTable;
  onChange(listener: () => void): () => void;
  /** Tables served by this part (its own, or joined to its folder). */
  tables(): readonly JoinedTable[];
  /** The raw image-column value of an item from a table, else null. */
  sourceValue(path: CanonicalPath): string | null;
}

/** Column name `@item`: the item paths of a built table (names starting with `@` are internal). */
export const ITEM_COLUMN = '@item';

/** A number column from values with NaN for missing (counted as null). */
export function numberColumn(name: string, values: Float64Array, temporal = false): NumberColumn {
  const nulls = new Uint8Array((values.length + 7) >>> 3);
  let missing = 0;
  let integer = true;
  for (let r = 0; r < values.length; r++) {
    const v = values[r]!;
    if (Number.isNaN(v)) {
      nulls[r >>> 3]! |= 1 << (r & 7);
      missing++;
    } else if (!Number.isInteger(v)) integer = false;
  }
  return {
    kind: 'number',
    name,
    values,
    nulls,
    null_count: missing,
    nan_count: 0,
    integer,
    temporal,
  };
}

/** `table` with more number columns (sharing paths and index): role `field` (not metrics). */
export function withNumberColumns(table: Table, extra: readonly NumberColumn[]): Table {
  if (extra.length === 0) return table;
  const columns = new Map(table.columns);
  const fields: FieldInfo[] = [...table.fields];
  for (const column of extra) {
    columns.set(column.name, column);
    fields.push({
      name: column.name,
      role: 'field',
      kind: 'number',
      present: table.row_count - column.null_count,
      null_count: column.null_count,
      nan_count: 0,
      distinct: null,
      reason: column.temporal ? 'date or timestamp' : 'file facts',
    });
  }
  return { ...table, columns, fields };
}
