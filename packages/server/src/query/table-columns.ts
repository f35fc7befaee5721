/**
 * The table's columns of one item, for the listing and item answers (`/folders`, `/item/detail`,
 * `GET /item`, write answers), in both vocabularies:
 * - the original Lenslet's: `metrics` (every metric with a value: the table's columns with label
 *   metrics overriding the value of the same name, and label-only metrics), `categoricals`
 *   (scalar categorical columns with a value) and `table_fields` (the row's scalar string
 *   columns with a value: categoricals and free text);
 * - Lenslet's: `fields`, every field of the row except the file facts (nulls kept).
 * "Table-backed" means the catalog serves at least one table column; in folder mode there is
 * none and answers keep their folder shape (label metrics only, no `table_fields`).
 * List columns are Lenslet's multi-valued categoricals: in `fields`, never in the original's
 * `categoricals` or `table_fields` (its client reads those as strings).
 */
import type { CanonicalPath, FieldValue, ItemView } from '@lenslet/core';
import type { RowRecord } from '@lenslet/table';
import type { Catalog, CatalogView } from '../catalog/catalog.ts';
import { isInternalField, type LabelRows } from './label-rows.ts';

export type TableColumns = {
  readonly metrics: Record<string, number>;
  readonly categoricals: Record<string, string>;
  /** Null when the row has no string column with a value (the original then sends none). */
  readonly table_fields: Record<string, string> | null;
  readonly fields: Record<string, FieldValue>;
};

const tableBacked = new WeakMap<CatalogView, boolean>();

/** Does the view serve any column of a table (not only file facts and label metrics)? */
export function hasTableColumns(view: CatalogView): boolean {
  let known = tableBacked.get(view);
  if (known === undefined) {
    known = view.engine.table.fields.some(
      (f) => f.role !== 'path' && !isInternalField(f.name) && !view.gallery_fields.has(f.name),
    );
    tableBacked.set(view, known);
  }
  return known;
}

function withValues<T>(values: Record<string, T | null>, skip: ReadonlySet<string>) {
  const out: Record<string, T> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== null && !isInternalField(name) && !skip.has(name)) out[name] = value;
  }
  return out;
}

/** The columns of `record` in both vocabularies (see the file comment). */
export function columnsOfRecord(view: CatalogView, record: RowRecord): TableColumns {
  const facts = view.gallery_fields;
  const categoricals = withValues(record.categoricals, facts);
  const strings = { ...categoricals, ...withValues(record.text, facts) };
  const fields: Record<string, FieldValue> = {};
  for (const group of [
    record.metrics,
    record.numbers,
    record.categoricals,
    record.multi,
    record.text,
  ]) {
    for (const [name, value] of Object.entries(group)) {
      if (!isInternalField(name) && !facts.has(name)) fields[name] = value;
    }
  }
  return {
    metrics: withValues(record.metrics, facts),
    categoricals,
    table_fields: Object.keys(strings).length > 0 ? strings : null,
    fields,
  };
}

/** The columns of the item at `path`, or null when the view serves no table or has no such row. */
export function tableColumnsOf(
  view: CatalogView,
  rows: LabelRows,
  path: CanonicalPath,
): TableColumns | null {
  if (!hasTableColumns(view)) return null;
  const row = view.engine.table.path_index.get(path);
  return row < 0 ? null : columnsOfRecord(view, view.engine.row(row, rows.metrics));
}

/** `item` with the table's columns of its row (unchanged outside tables). */
export function withTableColumns<T extends ItemView>(item: T, columns: TableColumns | null): T {
  if (columns === null) return item;
  return {
    ...item,
    metrics: columns.metrics,
    categoricals: columns.categoricals,
    fields: columns.fields,
  };
}

export type ColumnKeys = { metric_keys: string[]; categorical_keys: string[] };

/**
 * The original's `metric_keys` / `categorical_keys` of the whole catalog, sorted: every metric
 * (table columns and label metrics) and every scalar categorical (list columns are left out).
 */
export function columnKeys(view: CatalogView, rows: LabelRows): ColumnKeys {
  const list = view.engine.fields(rows.metrics);
  const visible = (names: readonly string[]) => names.filter((n) => !isInternalField(n)).sort();
  return { metric_keys: visible(list.metrics), categorical_keys: visible(list.categoricals) };
}

/**
 * The original's `table_fields` of the item at `path` for a sidecar (`GET /item`, write answers,
 * a conflict's `current`): `{}` (no field) when no table is served or the path has no row, so
 * folder mode never builds a catalog view on the write path.
 */
export function sidecarColumns(
  catalog: Catalog,
  path: CanonicalPath,
): { table_fields?: Record<string, string> | null } {
  if (catalog.tables().length === 0) return {};
  const view = catalog.view();
  if (!hasTableColumns(view)) return {};
  const row = view.engine.table.path_index.get(path);
  return row < 0 ? {} : { table_fields: columnsOfRecord(view, view.engine.row(row)).table_fields };
}
