/**
 * The original Lenslet's query dialect (core's `originalQuerySchema`) translated into the one
 * engine query, with its own rules where they differ from Lenslet's: unrated counts as star 0 in
 * `starsIn`/`starsNotIn`; `text_query` is one substring (of the path, tags, notes, the table's
 * image value and text columns); `widthCompare`/`heightCompare` compare strictly or not as asked;
 * a date-only `dateRange.to` includes that whole day; the default sort is `added` descending; a
 * derived metric whose inputs are not fields is "unavailable" and the query runs without it (row
 * order), as the original answers.
 */
import type { OriginalClause, OriginalQuery } from '@lenslet/core';
import {
  type CategoryColumn,
  type DerivedField,
  type Filter,
  originalDerivedKey,
  originalDerivedToExpr,
  type QueryContext,
  type RowFilter,
  type SortSpec,
  stringAt,
  type TableQuery,
  type TextColumn,
} from '@lenslet/table';
import type { CatalogView } from '../catalog/catalog.ts';
import { ITEM_COLUMN } from '../catalog/part.ts';
import type { LabelRows } from '../query/label-rows.ts';
import { foldText, labelTextOf } from '../search.ts';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export type OriginalDerived = {
  readonly key: string;
  readonly name: string | null;
  readonly available: boolean;
  readonly missing_numeric_inputs: string[];
  readonly unavailable_categorical_inputs: string[];
};

export type OriginalPlan = {
  readonly query: TableQuery;
  readonly ctx: QueryContext;
  readonly derived: OriginalDerived | null;
};

/** The image-column value of each row (`source`; a folder's image: its relative path). */
export function sourceTexts(view: CatalogView): (row: number) => string {
  const table = view.engine.table;
  const column = table.columns.get(table.path_column);
  if (
    table.path_column === ITEM_COLUMN ||
    !column ||
    (column.kind !== 'text' && column.kind !== 'category')
  )
    return (row) => table.paths[row]!.slice(1);
  return (row) => stringAt(column as TextColumn | CategoryColumn, row) ?? '';
}

function numberTest(values: Float64Array | null, op: '<' | '<=' | '>' | '>=', bound: number) {
  return (row: number) => {
    const v = values ? values[row]! : Number.NaN;
    if (Number.isNaN(v)) return false;
    return op === '<' ? v < bound : op === '<=' ? v <= bound : op === '>' ? v > bound : v >= bound;
  };
}

export function translateOriginal(
  body: OriginalQuery,
  view: CatalogView,
  rows: LabelRows,
): OriginalPlan {
  const { engine } = view;
  const list = engine.fields(rows.metrics);
  const numeric = new Set([...list.metrics, ...list.numbers]);
  const categorical = new Set([...list.categoricals, ...list.multi, ...list.text]);
  const { byRow } = rows;

  let derived: OriginalDerived | null = null;
  const derivedFields: DerivedField[] = [];
  if (body.derived_metric) {
    const metric = body.derived_metric;
    const missing = metric.numericTerms.map((t) => t.key).filter((k) => !numeric.has(k));
    const unavailable = metric.categoricalTerms
      .map((t) => t.key)
      .filter((k) => !categorical.has(k));
    const available = missing.length === 0 && unavailable.length === 0;
    derived = {
      key: originalDerivedKey(metric.id),
      name: metric.name ?? null,
      available,
      missing_numeric_inputs: missing,
      unavailable_categorical_inputs: unavailable,
    };
    if (available) {
      derivedFields.push({
        key: derived.key,
        expr: originalDerivedToExpr({ ...metric, name: metric.name ?? metric.id }),
      });
    }
  }
  const usable = (key: string) =>
    derived?.key === key ? derived.available : numeric.has(key) || categorical.has(key);

  const filters: Filter[] = [];
  const predicates: RowFilter[] = [];
  const names = engine.table.paths.map((p) => foldText(p.slice(p.lastIndexOf('/') + 1)));
  const source = sourceTexts(view);
  const column = (name: string | null) => {
    const c = name === null ? undefined : engine.table.columns.get(name);
    return c?.kind === 'number' ? c.values : null;
  };
  const clause = (c: OriginalClause) => {
    if (c.starsIn || c.starsNotIn) {
      const set = new Set((c.starsIn ?? c.starsNotIn)!.values);
      const want = c.starsIn !== undefined;
      predicates.push({ field: 'star', test: (r) => set.has(byRow[r]?.star ?? 0) === want });
    } else if (c.nameContains || c.nameNotContains) {
      const needle = foldText((c.nameContains ?? c.nameNotContains)!.value);
      const want = c.nameContains !== undefined;
      predicates.push({ field: 'name', test: (r) => names[r]!.includes(needle) === want });
    } else if (c.notesContains || c.notesNotContains) {
      const needle = foldText((c.notesContains ?? c.notesNotContains)!.value);
      const want = c.notesContains !== undefined;
      predicates.push({
        field: 'notes',
        test: (r) => foldText(byRow[r]?.notes ?? '').includes(needle) === want,
      });
    } else if (c.urlContains || c.urlNotContains) {
      const needle = foldText((c.urlContains ?? c.urlNotContains)!.value);
      const want = c.urlContains !== undefined;
      predicates.push({ field: 'url', test: (r) => foldText(source(r)).includes(needle) === want });
    } else if (c.dateRange) {
      const from = c.dateRange.from ? Date.parse(c.dateRange.from) : null;
      const to = c.dateRange.to
        ? Date.parse(c.dateRange.to) + (DATE_ONLY.test(c.dateRange.to) ? DAY_MS - 1 : 0)
        : null;
      if (view.known.added === null) predicates.push({ field: 'added', test: () => false });
      else filters.push({ kind: 'range', field: view.known.added, min: from, max: to });
    } else if (c.widthCompare || c.heightCompare) {
      const which = c.widthCompare ? 'width' : 'height';
      const { op, value } = (c.widthCompare ?? c.heightCompare)!;
      predicates.push({ field: which, test: numberTest(column(view.known[which]), op, value) });
    } else if (c.metricRange) {
      const { key, min, max } = c.metricRange;
      if (derived?.key === key && !derived.available) return;
      if (usable(key)) filters.push({ kind: 'range', field: key, min, max });
      else predicates.push({ field: key, test: () => false });
    } else if (c.categoricalIn) {
      const { key, values } = c.categoricalIn;
      if (categorical.has(key)) filters.push({ kind: 'in', field: key, values });
      else predicates.push({ field: key, test: () => false });
    }
  };
  for (const c of body.filters.and) clause(c);

  const s = body.sort ?? { kind: 'builtin', key: 'added', dir: 'desc' };
  let sort: SortSpec;
  if (s.kind === 'builtin') {
    if (s.key === 'random') sort = { key: '@random', seed: body.random_seed ?? '' };
    else if (s.key === 'name') sort = { key: '@name', dir: s.dir };
    else sort = view.known.added ? { key: view.known.added, dir: s.dir } : { key: '@row' };
  } else sort = usable(s.key) ? { key: s.key, dir: s.dir } : { key: '@row' };

  const text = body.text_query?.trim() ? foldText(body.text_query) : null;
  return {
    query: {
      scope: { folder: body.path, recursive: body.recursive },
      filters,
      text,
      sort,
      offset: body.offset,
      limit: body.limit,
      anchor: body.anchor_path ?? null,
      derived: derivedFields,
    },
    ctx: {
      labels: rows.metrics,
      filters: predicates,
      text: (r, needle) =>
        labelTextOf(byRow[r]).includes(needle) || foldText(source(r)).includes(needle),
    },
    derived,
  };
}
