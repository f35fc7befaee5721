/**
 * The table's columns of one item, for the listing and item answers (`/folders`, `/item/detail`,
 * `GET /item`, write answers), in both vocabularies:
 * - the original Lenslet's: `metrics` (every metric with a value: the table's columns with label
 *   metrics overriding the value of the same name, and label-only metrics), `categoricals`
 *   (scalar categorical columns with a value) and `table_fields` (the row's scalar string
 *   columns with a value: categoricals and free text);
 * - Lenslet's: `fields`, every field of the row except the file facts (nulls kept; in a
 *   listing only when asked: `?fields=`).
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

/** The columns of `record` in both vocabularies (see the file comment), in one pass. */
export function columnsOfRecord(view: CatalogView, record: RowRecord): TableColumns {
  const facts = view.gallery_fields;
  const metrics: Record<string, number> = {};
  const categoricals: Record<string, string> = {};
  const strings: Record<string, string> = {};
  const fields: Record<string, FieldValue> = {};
  let hasStrings = false;
  const keep = (name: string) => !isInternalField(name) && !facts.has(name);
  for (const [name, value] of Object.entries(record.metrics)) {
    if (!keep(name)) continue;
    fields[name] = value;
    if (value !== null) metrics[name] = value;
  }
  for (const group of [record.numbers, record.multi]) {
    for (const [name, value] of Object.entries(group)) if (keep(name)) fields[name] = value;
  }
  for (const [name, value] of Object.entries(record.categoricals)) {
    if (!keep(name)) continue;
    fields[name] = value;
    if (value !== null) {
      categoricals[name] = value;
      strings[name] = value;
      hasStrings = true;
    }
  }
  for (const [name, value] of Object.entries(record.text)) {
    if (!keep(name)) continue;
    fields[name] = value;
    if (value !== null) {
      strings[name] = value;
      hasStrings = true;
    }
  }
  return { metrics, categoricals, table_fields: hasStrings ? strings : null, fields };
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

/**
 * Put the row's columns on a freshly built `item` (unchanged outside tables): the original's
 * `metrics` and `categoricals`, and Lenslet's `fields` when `fields` is asked (`'all'`, or the
 * names to keep). Mutates and returns `item`.
 */
export function withTableColumns<T extends ItemView>(
  item: T,
  columns: TableColumns | null,
  fields: readonly string[] | 'all' | null = 'all',
): T {
  if (columns === null) return item;
  item.metrics = columns.metrics;
  item.categoricals = columns.categoricals;
  if (fields === 'all') item.fields = columns.fields;
  else if (fields !== null) {
    const picked: Record<string, FieldValue> = {};
    for (const name of fields) picked[name] = columns.fields[name] ?? null;
    item.fields = picked;
  }
  return item;
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
