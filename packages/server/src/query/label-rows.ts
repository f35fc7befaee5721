/**
 * The label state aligned to a catalog view's rows, as of one log head: each row's labels (the
 * star/tags/notes filters and the text search read them) and the label metrics the engine merges
 * over the table's (a label metric overrides the table value of the same name for that item).
 * Star and last-change time travel as internal label metrics `@star` and `@updated_at`, so the
 * engine sorts by them like any field. Built once per (view, head): O(labelled items).
 */
import type { CanonicalPath, Labels } from '@lenslet/core';
import { type LabelMetrics, rowOf } from '@lenslet/table';
import type { CatalogView } from '../catalog/catalog.ts';

export const STAR_FIELD = '@star';
export const UPDATED_FIELD = '@updated_at';

export type LabelRows = {
  readonly head: number;
  /** Labels of each row (undefined: never labelled). */
  readonly byRow: readonly (Labels | undefined)[];
  readonly metrics: LabelMetrics;
};

const cache = new WeakMap<
  CatalogView,
  { items: ReadonlyMap<CanonicalPath, Labels>; rows: LabelRows }
>();

function* metricEntries(
  items: ReadonlyMap<CanonicalPath, Labels>,
): Generator<readonly [string, Record<string, number | null>]> {
  for (const [path, labels] of items) {
    const updated = labels.updated_at === null ? null : Date.parse(labels.updated_at);
    yield [path, { ...labels.metrics, [STAR_FIELD]: labels.star, [UPDATED_FIELD]: updated }];
  }
}

/** The labels of `view`'s rows as of `head` (`items`: the store's labels at that head). */
export function labelRows(
  view: CatalogView,
  items: ReadonlyMap<CanonicalPath, Labels>,
  head: number,
): LabelRows {
  const cached = cache.get(view);
  if (cached && cached.rows.head === head && cached.items === items) return cached.rows;
  const table = view.engine.table;
  const byRow = new Array<Labels | undefined>(table.row_count);
  for (const [path, labels] of items) {
    const row = rowOf(table, path);
    if (row !== undefined) byRow[row] = labels;
  }
  const rows: LabelRows = {
    head,
    byRow,
    metrics: {
      version: `${view.generation}:${head}`,
      items: { [Symbol.iterator]: () => metricEntries(items) },
    },
  };
  cache.set(view, { items, rows });
  return rows;
}

/** Is this a field name of the engine's own (internal: `@item`, `@star`, …), not for people? */
export function isInternalField(name: string): boolean {
  return name.startsWith('@') && !name.startsWith('@derived');
}
