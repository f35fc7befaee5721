/**
 * Links of the original Lenslet's web client, read once at start and rewritten in Lenslet's form
 * (view-state.ts), so a bookmark or a shared link from it opens the same view here. Pure.
 *
 * The original keeps the folder in the hash (`#/<folder>`, which it shows recursively), the
 * viewer's image after `#!` (`#!/<image>`), and the view in the query: `sort=builtin:<added|name|
 * random>:<asc|desc>` or `metric:<asc|desc>:<key>`, `filters=<JSON {and: [clauses]}>`, `q=`,
 * `random_seed=`. Clauses Lenslet has no filter for (categoricals, date ranges) are dropped.
 * 'https://h/?sort=builtin:name:desc#/cats' => '?folder=/cats&dir=desc' (name order, recursive: the defaults)
 */
import { type CanonicalPath, parentPath, toCanonicalPath } from '@lenslet/core';
import { DEFAULT_VIEW, fromSearch, toSearch, type ViewState } from './view-state.ts';

export type OriginalLink = {
  /** Lenslet's query for the same view (with `item=` for the viewer's image). */
  readonly search: string;
  /** The link asked for the viewer (`#!/<image>`). */
  readonly viewer: boolean;
};

type Clause = Readonly<Record<string, unknown>>;

const obj = (v: unknown): Clause | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Clause) : null;
const numberOf = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** `{op, value}` of widthCompare/heightCompare as a range. */
function compareRange(clause: Clause | null): { min?: number; max?: number } {
  const value = numberOf(clause?.value);
  if (value === undefined) return {};
  const op = clause?.op;
  if (op === '>=' || op === '>') return { min: op === '>' ? value + 1 : value };
  if (op === '<=' || op === '<') return { max: op === '<' ? value - 1 : value };
  return {};
}

/** The original's filter JSON on top of a view. */
function applyFilters(view: ViewState, json: string): ViewState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return view;
  }
  const clauses = obj(parsed)?.and;
  if (!Array.isArray(clauses)) return view;
  let next = view;
  for (const raw of clauses) {
    const clause = obj(raw);
    if (!clause) continue;
    const [kind, body] = Object.entries(clause)[0] ?? [];
    const args = obj(body);
    const values = Array.isArray(args?.values) ? args.values : [];
    const stars = values.filter((s): s is number => Number.isInteger(s) && s >= 0 && s <= 5);
    if (kind === 'starsIn') {
      // The original counts unrated as 0.
      next = { ...next, stars: stars.flatMap((s) => (s === 0 ? [0, null] : [s])) };
    } else if (kind === 'starsNotIn') {
      const keep = [null, 0, 1, 2, 3, 4, 5].filter((s) => !stars.includes(s ?? 0));
      next = { ...next, stars: keep };
    } else if (kind === 'nameContains' && typeof args?.value === 'string') {
      next = { ...next, name: args.value };
    } else if (kind === 'notesContains' && typeof args?.value === 'string') {
      next = { ...next, notes: args.value };
    } else if (kind === 'widthCompare') {
      next = { ...next, width: { ...next.width, ...compareRange(args) } };
    } else if (kind === 'heightCompare') {
      next = { ...next, height: { ...next.height, ...compareRange(args) } };
    } else if (kind === 'metricRange' && typeof args?.key === 'string') {
      const min = numberOf(args.min);
      const max = numberOf(args.max);
      next = {
        ...next,
        ranges: {
          ...next.ranges,
          [args.key]: {
            ...(min === undefined ? {} : { min }),
            ...(max === undefined ? {} : { max }),
          },
        },
      };
    }
  }
  return next;
}

/** The original's `sort=` on top of a view. */
function applySort(view: ViewState, sort: string): ViewState {
  const builtin = /^builtin:(added|name|random):(asc|desc)$/.exec(sort);
  if (builtin) return { ...view, sort: builtin[1] as 'added', dir: builtin[2] as 'asc' };
  const metric = /^metric:(asc|desc):([\w.:-]{1,64})$/.exec(sort);
  if (metric) return { ...view, sort: `metric:${metric[2]}`, dir: metric[1] as 'asc' };
  return view;
}

/** An original link as Lenslet's query, or null when `search`/`hash` are not one. */
export function fromOriginalLink(search: string, hash: string): OriginalLink | null {
  const p = new URLSearchParams(search);
  const sort = p.get('sort') ?? '';
  const original =
    hash.startsWith('#/') ||
    hash.startsWith('#!/') ||
    p.has('filters') ||
    p.has('random_seed') ||
    // Lenslet's own `sort=metric:<field>` is not one: only the original's `<kind>:<dir>:…` form.
    /^(builtin:(added|name|random)|metric):(asc|desc)(:|$)/.test(sort);
  if (!original) return null;
  let view: ViewState = { ...fromSearch(search), sort: DEFAULT_VIEW.sort, dir: DEFAULT_VIEW.dir };
  let item: CanonicalPath | null = null;
  const target = toCanonicalPath(decodeURIComponent(hash.replace(/^#!?/, '')) || '/');
  if (hash.startsWith('#!/') && target) {
    item = target;
    view = { ...view, folder: parentPath(target) };
  } else if (hash.startsWith('#/') && target) {
    view = { ...view, folder: target, recursive: true };
  }
  if (sort) view = applySort(view, sort);
  const filters = p.get('filters');
  if (filters) view = applyFilters(view, filters);
  const seed = Number(p.get('random_seed'));
  if (p.has('random_seed') && Number.isInteger(seed) && seed >= 0) view = { ...view, seed };
  return { search: toSearch(view, item), viewer: item !== null };
}

/**
 * A smart folder the original's web client saved (`pool: {kind: 'folder', path}`, `view:
 * {filters: {and}, sort: {kind, key, dir}, …}`; the views are shared by both clients) as
 * Lenslet's query: its folder (recursive, as the original shows it), sort and filters, with the
 * same translation as its links. Lenslet's own views carry `view.search` and are returned as is.
 * '{pool:{path:"/cats"}, view:{sort:{kind:"builtin",key:"name",dir:"desc"}}}' =>
 * '?folder=/cats&dir=desc'
 */
export function savedViewSearch(pool: { readonly path: string }, view: unknown): string {
  const v = obj(view);
  if (typeof v?.search === 'string') return v.search;
  const folder = toCanonicalPath(pool.path) ?? DEFAULT_VIEW.folder;
  let state: ViewState = { ...DEFAULT_VIEW, folder, recursive: true };
  const sort = obj(v?.sort);
  const dir = sort?.dir === 'asc' || sort?.dir === 'desc' ? sort.dir : null;
  if (sort?.kind === 'builtin' && typeof sort.key === 'string' && dir) {
    state = applySort(state, `builtin:${sort.key}:${dir}`);
  } else if (sort?.kind === 'metric' && typeof sort.key === 'string' && dir) {
    state = applySort(state, `metric:${dir}:${sort.key}`);
  }
  if (v?.filters !== undefined) state = applyFilters(state, JSON.stringify(v.filters));
  return toSearch(state, null);
}
