/**
 * Lenslet's query dialect (core's `folderQuerySchema`) translated into the engine's one query:
 * table filters become engine filters; label filters (star, tags, notes, name, updated_by/since)
 * become row predicates over the label rows, each under its own field so a facet leaves its own
 * out; the text query's terms must each match the path, a text column (prompts, captions) or the
 * tags and notes. A filter or sort on a field no item has (yet) — a label metric never written —
 * matches nothing / sorts as all-missing, rather than failing: saved views outlive the fields.
 */
import {
  DERIVED_FIELD,
  type FolderQuery,
  type NumberRange,
  type QueryFilters,
} from '@lenslet/core';
import {
  type DerivedField,
  type Filter,
  parseFormula,
  type QueryContext,
  type RowFilter,
  type SortSpec,
  type TableQuery,
} from '@lenslet/table';
import type { CatalogView } from '../catalog/catalog.ts';
import { foldText, labelTextOf, searchTerms } from '../search.ts';
import { type LabelRows, STAR_FIELD, UPDATED_FIELD } from './label-rows.ts';

/** Every field name the view's engine resolves under these labels (plus `@derived` when given). */
export function knownFields(view: CatalogView, rows: LabelRows, derived: boolean): Set<string> {
  const list = view.engine.fields(rows.metrics);
  const names = new Set<string>([
    ...list.metrics,
    ...list.numbers,
    ...list.categoricals,
    ...list.multi,
    ...list.text,
  ]);
  if (derived) names.add(DERIVED_FIELD);
  return names;
}

const foldedNames = new WeakMap<CatalogView, string[]>();
function namesOf(view: CatalogView): string[] {
  let names = foldedNames.get(view);
  if (!names) {
    names = view.engine.table.paths.map((p) => foldText(p.slice(p.lastIndexOf('/') + 1)));
    foldedNames.set(view, names);
  }
  return names;
}

const NOTHING: RowFilter['test'] = () => false;

function labelFilters(view: CatalogView, rows: LabelRows, filters: QueryFilters): RowFilter[] {
  const { byRow } = rows;
  const out: RowFilter[] = [];
  if (filters.star) {
    const allowed = new Uint8Array(7);
    for (const star of filters.star) allowed[star ?? 6] = 1;
    out.push({ field: 'star', test: (r) => allowed[byRow[r]?.star ?? 6] === 1 });
  }
  const tags = filters.tags;
  if (tags?.any?.length) {
    const any = new Set(tags.any);
    out.push({ field: 'tags', test: (r) => byRow[r]?.tags.some((t) => any.has(t)) ?? false });
  }
  if (tags?.all?.length) {
    const all = [...new Set(tags.all)];
    out.push({ field: 'tags', test: (r) => all.every((t) => byRow[r]?.tags.includes(t)) });
  }
  if (tags?.none?.length) {
    const none = new Set(tags.none);
    out.push({ field: 'tags', test: (r) => !byRow[r]?.tags.some((t) => none.has(t)) });
  }
  if (filters.has_notes !== undefined) {
    const want = filters.has_notes;
    out.push({ field: 'notes', test: (r) => ((byRow[r]?.notes ?? '') !== '') === want });
  }
  if (filters.notes !== undefined) {
    const needle = foldText(filters.notes);
    out.push({
      field: 'notes',
      test: (r) => {
        const notes = byRow[r]?.notes ?? '';
        return notes !== '' && foldText(notes).includes(needle);
      },
    });
  }
  if (filters.name !== undefined) {
    const needle = foldText(filters.name);
    const names = namesOf(view);
    out.push({ field: 'name', test: (r) => names[r]!.includes(needle) });
  }
  if (filters.updated_by) {
    const people = new Set(filters.updated_by.map((p) => p.normalize('NFC')));
    out.push({
      field: 'updated_by',
      test: (r) => {
        const by = byRow[r]?.updated_by ?? null;
        return by !== null && people.has(by);
      },
    });
  }
  if (filters.updated_since !== undefined) {
    const since = Date.parse(filters.updated_since);
    out.push({
      field: UPDATED_FIELD,
      test: (r) => {
        const at = byRow[r]?.updated_at ?? null;
        return at !== null && Date.parse(at) >= since;
      },
    });
  }
  return out;
}

function fieldFilters(
  view: CatalogView,
  filters: QueryFilters,
  known: Set<string>,
): { filters: Filter[]; predicates: RowFilter[] } {
  const out: Filter[] = [];
  const predicates: RowFilter[] = [];
  const range = (field: string | null, r: NumberRange) => {
    if (field === null || !known.has(field))
      predicates.push({ field: field ?? '?', test: NOTHING });
    else out.push({ kind: 'range', field, min: r.min ?? null, max: r.max ?? null });
  };
  if (filters.width) range(view.known.width, filters.width);
  if (filters.height) range(view.known.height, filters.height);
  for (const [field, r] of Object.entries(filters.metrics ?? {})) range(field, r);
  for (const [field, v] of Object.entries(filters.values ?? {})) {
    if (!known.has(field)) {
      if (v.in !== undefined) predicates.push({ field, test: NOTHING });
      continue;
    }
    if (v.in !== undefined) out.push({ kind: 'in', field, values: v.in });
    if (v.not_in !== undefined) out.push({ kind: 'not_in', field, values: v.not_in });
  }
  for (const field of filters.missing ?? [])
    if (known.has(field)) out.push({ kind: 'missing', field });
  for (const field of filters.present ?? []) {
    if (known.has(field)) out.push({ kind: 'present', field });
    else predicates.push({ field, test: NOTHING });
  }
  return { filters: out, predicates };
}

function sortOf(query: FolderQuery, view: CatalogView, known: Set<string>): SortSpec | undefined {
  const sort = query.sort;
  const field = (key: string | null, dir: 'asc' | 'desc'): SortSpec =>
    key !== null && known.has(key) ? { key, dir } : { key: '@path' };
  switch (sort?.by) {
    case undefined:
      return { key: '@row' };
    case 'added':
      return field(view.known.added, sort.dir);
    case 'name':
      return { key: '@name', dir: sort.dir };
    case 'star':
      return field(STAR_FIELD, sort.dir);
    case 'updated_at':
      return field(UPDATED_FIELD, sort.dir);
    case 'metric':
      return field(sort.key, sort.dir);
    case 'row':
      return { key: '@row', dir: sort.dir };
    case 'random':
      return { key: '@random', seed: sort.seed };
  }
}

/** The derived field of a query (`@derived`), parsed: a bad formula is a 400 naming where. */
export function derivedOf(query: Pick<FolderQuery, 'derived'>): DerivedField[] {
  if (!query.derived) return [];
  const { formula, population } = query.derived;
  return [
    { key: DERIVED_FIELD, expr: parseFormula(formula), population: population ?? 'filtered' },
  ];
}

/** The engine query and context of a Lenslet query body, under `rows`' labels. */
export function lensletQuery(
  query: FolderQuery,
  view: CatalogView,
  rows: LabelRows,
): { query: TableQuery; ctx: QueryContext } {
  const derived = derivedOf(query);
  const known = knownFields(view, rows, derived.length > 0);
  const fields = fieldFilters(view, query.filters, known);
  const { byRow } = rows;
  return {
    query: {
      scope: { folder: query.path, recursive: query.recursive },
      filters: fields.filters,
      text: searchTerms(query.text_query),
      sort: sortOf(query, view, known),
      offset: query.offset,
      limit: query.limit,
      anchor: query.anchor ?? null,
      derived,
    },
    ctx: {
      labels: rows.metrics,
      filters: [...labelFilters(view, rows, query.filters), ...fields.predicates],
      text: (r, needle) => labelTextOf(byRow[r]).includes(needle),
      tally: { field: 'star', buckets: 7, bucket: (r) => byRow[r]?.star ?? 6 },
    },
  };
}
