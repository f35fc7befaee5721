/**
 * Which rows an export holds, selected by the one query engine (the same translation as
 * `POST /folders/query`, so every filter means the same in both): the items in scope that pass
 * the filters, labeled ones only unless asked otherwise, each with its table fields. Without a
 * filter the labels of files that are gone are exported too (`present: false`); a filter only
 * matches images that are present. With nothing to filter or score, the labeled items are read
 * straight from the labels (the same rows, in O(labeled items) rather than O(scope)).
 *
 * Fields: by default the served table's columns (a label metric overrides the table value of the
 * same name; `@derived` too when the export has a derived score); `fields` picks names instead
 * (any field of `/folders/fields`, unknown names are null). A folder gallery has no table
 * columns, so its rows carry no `fields` and encode exactly as `lenslet replay` does.
 */
import {
  type CanonicalPath,
  DERIVED_FIELD,
  EMPTY_LABELS,
  type ExportRow,
  type FieldValue,
  type FolderQuery,
  isLabeled,
  type Labels,
} from '@lenslet/core';
import type { GalleryIndex } from '@lenslet/gallery';
import type { CatalogView } from '../catalog/catalog.ts';
import { exportRows } from '../export-rows.ts';
import { flatFields } from './item-rows.ts';
import { isInternalField, type LabelRows } from './label-rows.ts';
import { lensletQuery } from './lenslet-query.ts';

export type ExportSelection = Pick<
  FolderQuery,
  'filters' | 'text_query' | 'derived' | 'fields' | 'recursive'
> & {
  readonly path: CanonicalPath;
  /** false: every item in scope that passes, labeled or not. */
  readonly labeled_only: boolean;
};

/** Does the selection filter at all (then gone files, which no filter can match, are left out)? */
export function isFiltered(selection: ExportSelection): boolean {
  return Object.keys(selection.filters).length > 0 || selection.text_query.trim() !== '';
}

/** The table's own columns (not gallery facts, not label-only metrics), in field-list order. */
function tableFieldNames(view: CatalogView, rows: LabelRows): string[] {
  const list = view.engine.fields(rows.metrics);
  const labelOnly = new Set(list.label_metrics);
  return [
    ...list.metrics,
    ...list.numbers,
    ...list.categoricals,
    ...list.multi,
    ...list.text,
  ].filter(
    (name) => !isInternalField(name) && !view.gallery_fields.has(name) && !labelOnly.has(name),
  );
}

/** `names` of the row at engine row `row` (`@derived` from `derived`, the query's value). */
function fieldsOf(
  view: CatalogView,
  rows: LabelRows,
  row: number,
  names: readonly string[],
  derived: number | null,
): Record<string, FieldValue> {
  const all = flatFields(view.engine.row(row, rows.metrics));
  const fields: Record<string, FieldValue> = {};
  for (const name of names) fields[name] = name === DERIVED_FIELD ? derived : (all[name] ?? null);
  return fields;
}

/** The export rows of `selection` over `view`, under the labels `items` (aligned as `rows`). */
export function selectExportRows(
  view: CatalogView,
  gallery: GalleryIndex,
  items: ReadonlyMap<CanonicalPath, Labels>,
  rows: LabelRows,
  selection: ExportSelection,
): ExportRow[] {
  const present = (path: CanonicalPath) => {
    const entry = gallery.get(path);
    return entry !== undefined && entry.missing !== true;
  };
  const filtered = isFiltered(selection);
  const names = selection.fields ?? [
    ...tableFieldNames(view, rows),
    ...(selection.derived ? [DERIVED_FIELD] : []),
  ];
  const index = view.engine.table.path_index;
  if (!filtered && selection.labeled_only && !selection.derived) {
    // Nothing to filter or score: the labels say which items (those of gone files too), in
    // O(labeled items); the engine only supplies each row's fields.
    const labeled = exportRows(items, selection.path, present, selection.recursive);
    if (names.length === 0) return labeled;
    return labeled.map((item) => {
      const row = index.get(item.path);
      return row < 0 ? item : { ...item, fields: fieldsOf(view, rows, row, names, null) };
    });
  }
  const plan = lensletQuery(
    { ...selection, sort: undefined, offset: 0, limit: Number.MAX_SAFE_INTEGER, anchor: undefined },
    view,
    rows,
  );
  const result = view.engine.query(plan.query, plan.ctx);
  const derived = result.derived_values[DERIVED_FIELD];
  const { paths } = view.engine.table;
  const out: ExportRow[] = [];
  result.rows.forEach((row, i) => {
    const path = paths[row]! as CanonicalPath;
    const labels = rows.byRow[row] ?? EMPTY_LABELS;
    if (selection.labeled_only && !isLabeled(labels)) return;
    const here = present(path);
    if (filtered && !here) return;
    if (names.length === 0) out.push({ path, labels, present: here });
    else
      out.push({
        path,
        labels,
        present: here,
        fields: fieldsOf(view, rows, row, names, derived?.[i] ?? null),
      });
  });
  if (!filtered) {
    const gone = exportRows(items, selection.path, present, selection.recursive);
    for (const item of gone) if (index.get(item.path) < 0) out.push(item);
  }
  return out;
}
