/**
 * The view — folder, filters, sort, search, the derived score and the field cards show — as
 * plain data, and its two encodings: the URL query (so a link reproduces the view; only
 * non-default values are written) and the body of POST /folders/query. Pure.
 */
import { type CanonicalPath, DERIVED_FIELD, toCanonicalPath } from '@lenslet/core';
import type { QueryBody, Range } from '../api.ts';
import {
  type FieldFilters,
  fieldFilterCount,
  NO_FIELD_FILTERS,
  readFieldFilters,
  writeFieldFilters,
} from './field-filters.ts';

/** `metric:<field>` sorts by any field (`metric:@derived`: the derived score); `row`: table order. */
export type SortKey =
  | 'added'
  | 'name'
  | 'star'
  | 'updated_at'
  | 'random'
  | 'row'
  | `metric:${string}`;

export type ViewState = FieldFilters & {
  readonly folder: CanonicalPath;
  readonly recursive: boolean;
  readonly q: string;
  /** Star filter; null = unrated. Empty = any. */
  readonly stars: readonly (number | null)[];
  readonly tagsAny: readonly string[];
  readonly tagsAll: readonly string[];
  readonly tagsNone: readonly string[];
  readonly notes: string;
  readonly name: string;
  readonly width: Range;
  readonly height: Range;
  readonly by: readonly string[];
  /** ISO date or datetime; '' = any time. */
  readonly since: string;
  readonly sort: SortKey;
  readonly dir: 'asc' | 'desc';
  readonly seed: number;
  /** The derived score's formula ('' = none); its value is the field `@derived`. */
  readonly formula: string;
  /** The field cards show ('' = the sort's field, if any). */
  readonly show: string;
};

/** Every filter at "any" (what "Clear filters" sets; folder, search and sort are kept). */
export const NO_FILTERS = {
  stars: [],
  tagsAny: [],
  tagsAll: [],
  tagsNone: [],
  notes: '',
  name: '',
  width: {},
  height: {},
  ...NO_FIELD_FILTERS,
  by: [],
  since: '',
} as const satisfies Partial<ViewState>;

export const DEFAULT_VIEW: ViewState = {
  folder: '/' as CanonicalPath,
  // Folders open with their subfolders (as the original does); `recursive=0` turns it off.
  recursive: true,
  q: '',
  ...NO_FILTERS,
  sort: 'name',
  dir: 'asc',
  seed: 1,
  formula: '',
  show: '',
};

const list = (v: string | null) => (v ? v.split(',').filter((s) => s !== '') : []);
const num = (v: string | null) =>
  v !== null && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
const range = (min: number | undefined, max: number | undefined): Range => ({
  ...(min === undefined ? {} : { min }),
  ...(max === undefined ? {} : { max }),
});
const isSort = (s: string): s is SortKey =>
  ['added', 'name', 'star', 'updated_at', 'random', 'row'].includes(s) ||
  /^metric:.{1,256}$/.test(s);

/** Read a view from `location.search`; anything unparseable falls back to the default. */
export function fromSearch(search: string): ViewState {
  const p = new URLSearchParams(search);
  const folder = toCanonicalPath(p.get('folder') ?? '/') ?? DEFAULT_VIEW.folder;
  const sort = p.get('sort') ?? '';
  const stars = list(p.get('stars'))
    .map((s) => (s === 'none' ? null : Number(s)))
    .filter((s) => s === null || (Number.isInteger(s) && s >= 0 && s <= 5));
  const fields = readFieldFilters(p);
  // Links from before the metrics panel: one metric range as `metric`, `mmin`, `mmax`.
  const old = p.get('metric');
  const oldRange = range(num(p.get('mmin')), num(p.get('mmax')));
  const ranges =
    old && !fields.ranges[old] && Object.keys(oldRange).length > 0
      ? { ...fields.ranges, [old]: oldRange }
      : fields.ranges;
  return {
    ...fields,
    ranges,
    folder,
    recursive: p.get('recursive') !== '0',
    q: p.get('q') ?? '',
    stars,
    tagsAny: list(p.get('any')),
    tagsAll: list(p.get('all')),
    tagsNone: list(p.get('none')),
    notes: p.get('notes') ?? '',
    name: p.get('name') ?? '',
    width: range(num(p.get('minw')), num(p.get('maxw'))),
    height: range(num(p.get('minh')), num(p.get('maxh'))),
    by: list(p.get('by')),
    since: p.get('since') ?? '',
    sort: isSort(sort) ? sort : DEFAULT_VIEW.sort,
    dir: p.get('dir') === 'desc' ? 'desc' : p.get('dir') === 'asc' ? 'asc' : defaultDir(sort),
    seed: num(p.get('seed')) ?? DEFAULT_VIEW.seed,
    formula: p.get('score') ?? '',
    show: p.get('show') ?? '',
  };
}

/** Natural direction of a sort: names A→Z and the table's order first to last, else highest first. */
export function defaultDir(sort: string): 'asc' | 'desc' {
  return sort === 'name' || sort === 'row' || sort === '' ? 'asc' : 'desc';
}

/** The URL query for a view ('' for the default view); `item` is the focused image. */
export function toSearch(view: ViewState, item?: string | null): string {
  const p = new URLSearchParams();
  const set = (k: string, v: string | number | undefined, skip: string | number | undefined) => {
    if (v !== undefined && v !== '' && v !== skip) p.set(k, String(v));
  };
  set('folder', view.folder, '/');
  if (!view.recursive) p.set('recursive', '0');
  set('q', view.q, '');
  set('stars', view.stars.map((s) => (s === null ? 'none' : s)).join(','), '');
  set('any', view.tagsAny.join(','), '');
  set('all', view.tagsAll.join(','), '');
  set('none', view.tagsNone.join(','), '');
  set('notes', view.notes, '');
  set('name', view.name, '');
  set('minw', view.width.min, undefined);
  set('maxw', view.width.max, undefined);
  set('minh', view.height.min, undefined);
  set('maxh', view.height.max, undefined);
  writeFieldFilters(p, view);
  set('by', view.by.join(','), '');
  set('since', view.since, '');
  set('sort', view.sort, DEFAULT_VIEW.sort);
  set('dir', view.dir, defaultDir(view.sort));
  if (view.sort === 'random') p.set('seed', String(view.seed));
  set('score', view.formula, '');
  set('show', view.show, '');
  if (item) p.set('item', item);
  const s = p.toString().replaceAll('%2F', '/').replaceAll('%2C', ',');
  return s ? `?${s}` : '';
}

/** Number of active filters (for the filter button's badge). */
export function activeFilterCount(view: ViewState): number {
  return (
    [
      view.stars.length > 0,
      view.tagsAny.length + view.tagsAll.length + view.tagsNone.length > 0,
      view.notes !== '',
      view.name !== '',
      view.width.min !== undefined || view.width.max !== undefined,
      view.height.min !== undefined || view.height.max !== undefined,
      view.by.length > 0,
      view.since !== '',
    ].filter(Boolean).length + fieldFilterCount(view)
  );
}

/** The POST /folders/query body of a view. */
export function toQueryBody(view: ViewState, offset = 0, limit = 500): QueryBody {
  const f: QueryBody['filters'] = {};
  if (view.stars.length) f.star = [...view.stars];
  const tags: NonNullable<QueryBody['filters']['tags']> = {};
  if (view.tagsAny.length) tags.any = [...view.tagsAny];
  if (view.tagsAll.length) tags.all = [...view.tagsAll];
  if (view.tagsNone.length) tags.none = [...view.tagsNone];
  if (Object.keys(tags).length) f.tags = tags;
  if (view.notes) f.notes = view.notes;
  if (view.name) f.name = view.name;
  if (view.width.min !== undefined || view.width.max !== undefined) f.width = { ...view.width };
  if (view.height.min !== undefined || view.height.max !== undefined) f.height = { ...view.height };
  if (Object.keys(view.ranges).length) f.metrics = { ...view.ranges };
  if (Object.keys(view.values).length) f.values = view.values as typeof f.values;
  const has = Object.entries(view.has);
  const missing = has.filter(([, s]) => s === 'missing').map(([field]) => field);
  const present = has.filter(([, s]) => s === 'present').map(([field]) => field);
  if (missing.length) f.missing = missing;
  if (present.length) f.present = present;
  if (view.by.length) f.updated_by = [...view.by];
  if (view.since) {
    const d = new Date(view.since);
    if (!Number.isNaN(d.getTime())) f.updated_since = d.toISOString();
  }
  let sort: QueryBody['sort'];
  if (view.sort === 'random') sort = { by: 'random', seed: view.seed };
  else if (view.sort.startsWith('metric:')) {
    sort = { by: 'metric', key: view.sort.slice(7), dir: view.dir };
  } else sort = { by: view.sort as 'added', dir: view.dir };
  const shown = cardField(view);
  return {
    path: view.folder,
    recursive: view.recursive,
    offset,
    limit,
    filters: f,
    sort,
    text_query: view.q,
    ...(view.formula ? { derived: { formula: view.formula } } : {}),
    ...(shown ? { fields: [shown] } : {}),
  };
}

/** The field cards show: the chosen one, else the field the view is sorted by ('' = none). */
export function cardField(view: Pick<ViewState, 'show' | 'sort' | 'formula'>): string {
  const field = view.show || (view.sort.startsWith('metric:') ? view.sort.slice(7) : '');
  return field === DERIVED_FIELD && !view.formula ? '' : field;
}
