/**
 * Rows of a query answer as items: the gallery's file facts, the labels, `missing` for a table
 * row without its file, and the projected fields (`fields` of the body; a label metric overrides
 * the table value of the same name; `@derived` from the answer's derived values).
 */
import {
  type CanonicalPath,
  DERIVED_FIELD,
  EMPTY_LABELS,
  type FieldValue,
  type ItemView,
} from '@lenslet/core';
import type { GalleryIndex } from '@lenslet/gallery';
import type { LabelMetrics, QueryResult, RowRecord } from '@lenslet/table';
import type { CatalogView } from '../catalog/catalog.ts';
import { type ThumbSettings, toItemView } from '../item-view.ts';
import { isInternalField, type LabelRows } from './label-rows.ts';

/** Every field of a row record as one flat object, internal fields left out. */
export function flatFields(record: RowRecord): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const group of [
    record.metrics,
    record.numbers,
    record.categoricals,
    record.multi,
    record.text,
  ])
    for (const [name, value] of Object.entries(group))
      if (!isInternalField(name)) out[name] = value;
  return out;
}

/** Every field of the item at `path` (the inspector), or null when the view has no such row. */
export function itemFields(
  view: CatalogView,
  path: CanonicalPath,
  metrics: LabelMetrics,
): Record<string, FieldValue> | null {
  const row = view.engine.table.path_index.get(path);
  return row < 0 ? null : flatFields(view.engine.row(row, metrics));
}

export function itemsOf(
  view: CatalogView,
  gallery: GalleryIndex,
  rows: LabelRows,
  result: Pick<QueryResult, 'rows' | 'derived_values'>,
  settings: ThumbSettings,
  projection: readonly string[] | undefined,
): ItemView[] {
  const { paths } = view.engine.table;
  const items: ItemView[] = [];
  result.rows.forEach((row, i) => {
    const entry = gallery.get(paths[row]!);
    if (entry === undefined) return;
    const item: ItemView = toItemView(entry, rows.byRow[row] ?? EMPTY_LABELS, settings);
    if (entry.missing) item.missing = true;
    if (projection) {
      const all = flatFields(view.engine.row(row, rows.metrics));
      const fields: Record<string, FieldValue> = {};
      for (const name of projection) {
        if (name === DERIVED_FIELD) fields[name] = result.derived_values[name]?.[i] ?? null;
        else fields[name] = all[name] ?? null;
      }
      item.fields = fields;
    }
    items.push(item);
  });
  return items;
}
