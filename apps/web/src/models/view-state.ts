/**
 * The view — folder, filters, sort and search — as plain data, and its two encodings: the URL
 * query (so a link reproduces the view; only non-default values are written) and the body of
 * POST /folders/query. Pure.
 */
import { type CanonicalPath, toCanonicalPath } from '@lenslet/core';
import type { QueryBody, Range } from '../api.ts';

export type SortKey = 'added' | 'name' | 'star' | 'updated_at' | 'random' | `metric:${string}`;

export type ViewState = {
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
  readonly metric: { readonly key: string } & Range;
  readonly by: readonly string[];
  /** ISO date or datetime; '' = any time. */
  readonly since: string;
  readonly sort: SortKey;
  readonly dir: 'asc' | 'desc';
  readonly seed: number;
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
  metric: { key: '' },
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
};

const list = (v: string | null) => (v ? v.split(',').filter((s) => s !== '') : []);
const num = (v: string | null) =>
  v !== null && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
const range = (min: number | undefined, max: number | undefined): Range => ({
  ...(min === undefined ? {} : { min }),
  ...(max === undefined ? {} : { max }),
});
const isSort = (s: string): s is SortKey =>
  ['added', 'name', 'star', 'updated_at', 'random'].includes(s) || /^metric:[\w.:-]{1,64}$/.test(s);

/** Read a view from `location.search`; anything unparseable falls back to the default. */
export function fromSearch(search: string): ViewState {
  const p = new URLSearchParams(search);
  const folder = toCanonicalPath(p.get('folder') ?? '/') ?? DEFAULT_VIEW.folder;
  const sort = p.get('sort') ?? '';
  const stars = list(p.get('stars'))
    .map((s) => (s === 'none' ? null : Number(s)))
    .filter((s) => s === null || (Number.isInteger(s) && s >= 0 && s <= 5));
  return {
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
    metric: { key: p.get('metric') ?? '', ...range(num(p.get('mmin')), num(p.get('mmax'))) },
    by: list(p.get('by')),
    since: p.get('since') ?? '',
    sort: isSort(sort) ? sort : DEFAULT_VIEW.sort,
    dir: p.get('dir') === 'desc' ? 'desc' : p.get('dir') === 'asc' ? 'asc' : defaultDir(sort),
    seed: num(p.get('seed')) ?? DEFAULT_VIEW.seed,
  };
}

/** Natural direction of a sort: names A→Z, everything else newest/highest first. */
export function defaultDir(sort: string): 'asc' | 'desc' {
  return sort === 'name' || sort === '' ? 'asc' : 'desc';
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
  if (view.metric.key) {
    p.set('metric', view.metric.key);
    set('mmin', view.metric.min, undefined);
    set('mmax', view.metric.max, undefined);
  }
  set('by', view.by.join(','), '');
  set('since', view.since, '');
  set('sort', view.sort, DEFAULT_VIEW.sort);
  set('dir', view.dir, defaultDir(view.sort));
  if (view.sort === 'random') p.set('seed', String(view.seed));
  if (item) p.set('item', item);
  const s = p.toString().replaceAll('%2F', '/').replaceAll('%2C', ',');
  return s ? `?${s}` : '';
}

/** Number of active filters (for the filter button's badge). */
export function activeFilterCount(view: ViewState): number {
  return [
    view.stars.length > 0,
    view.tagsAny.length + view.tagsAll.length + view.tagsNone.length > 0,
    view.notes !== '',
    view.name !== '',
    view.width.min !== undefined || view.width.max !== undefined,
    view.height.min !== undefined || view.height.max !== undefined,
    view.metric.key !== '',
    view.by.length > 0,
    view.since !== '',
  ].filter(Boolean).length;
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
  if (view.metric.key) {
    const { key, ...r } = view.metric;
    f.metrics = { [key]: r };
  }
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
  return {
    path: view.folder,
    recursive: view.recursive,
    offset,
    limit,
    filters: f,
    sort,
    text_query: view.q,
  };
}
