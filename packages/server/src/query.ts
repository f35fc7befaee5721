/**
 * The browse query engine behind `POST /folders/query`: filter, count star facets, sort and page
 * one scope in a single pass. Pure: a scope (scope.ts) and the labels aligned to it come in,
 * positions go out.
 *
 * Cost model (100,000 images must answer in ≤ 50 ms): one pass over per-scope arrays with
 * predicates compiled once per request (nothing allocated for a rejected image); sort keys land
 * in a reused Float64Array; a quickselect brings the requested page's ranks together in expected
 * O(n) whatever the page's depth, and only the page itself (≤ 1,000 images) is sorted.
 *
 * Ordering rules: ties fall back to the scope's own order (the gallery's name order), so every
 * answer is deterministic and pages never overlap; images without a value for the sort key
 * (unrated, never labelled, metric missing) come last in both directions.
 */
import type { CanonicalPath, Labels, NumberRange, QueryFilters, QuerySort } from '@lenslet/core';
import type { ImageEntry } from '@lenslet/gallery';
import { Scope } from './scope.ts';
import { foldText, labelTextOf, searchTerms } from './search.ts';

export type StarFacet = {
  null: number;
  0: number;
  1: number;
  2: number;
  3: number;
  4: number;
  5: number;
};

export type QueryResult = {
  /** Images in the scope before any filter. */
  readonly total: number;
  /** Images that pass every filter and the text query. */
  readonly filtered_total: number;
  /** Star counts over the images passing every filter except the star filter itself. */
  readonly facets: { readonly star: StarFacet };
  /** Scope positions of the requested page, in order. */
  readonly page: number[];
};

export type QueryInput = {
  readonly filters: QueryFilters;
  readonly sort?: QuerySort | undefined;
  readonly text_query: string;
  readonly offset: number;
  readonly limit: number;
};

type Predicate = (i: number) => boolean;

/**
 * Scratch arrays reused by every query (queries run synchronously, one at a time), so a query
 * over 100,000 images allocates a few views, not megabytes of typed arrays for the GC.
 */
const scratch = {
  matches: new Int32Array(0),
  order: new Int32Array(0),
  keys: new Float64Array(0),
};
type ScratchName = keyof typeof scratch;

function buffer<K extends ScratchName>(name: K, length: number): (typeof scratch)[K] {
  let current = scratch[name];
  if (current.length < length) {
    const size = Math.max(length, Math.floor(current.length * 1.5));
    current = (
      name === 'matches' ? new Int32Array(size) : new Float64Array(size)
    ) as (typeof scratch)[K];
    scratch[name] = current;
  }
  return current.subarray(0, length) as (typeof scratch)[K];
}

export type QueryRow = { readonly entry: ImageEntry; readonly labels: Labels };

/**
 * Convenience for one-off lists (e.g. an export as of an older seq): query `images` with labels
 * from `labelsOf`, answering rows instead of positions. Browse routes use `queryScope` on cached
 * scopes instead.
 */
export function runQuery(
  images: Iterable<ImageEntry>,
  labelsOf: (path: CanonicalPath) => Labels,
  input: QueryInput,
): Omit<QueryResult, 'page'> & { readonly page: QueryRow[] } {
  const scope = new Scope([...images]);
  const labels = scope.entries.map((entry) => labelsOf(entry.path));
  const result = queryScope(scope, labels, input);
  return {
    ...result,
    page: result.page.map((i) => ({ entry: scope.entries[i]!, labels: labels[i]! })),
  };
}

/** Run one query over `scope`, whose labels (aligned by position) are `labels`. */
export function queryScope(
  scope: Scope,
  labels: readonly Labels[],
  input: QueryInput,
): QueryResult {
  const predicates = compileFilters(scope, labels, input.filters, input.text_query);
  const starAllowed = compileStarFilter(input.filters.star);
  const facet = [0, 0, 0, 0, 0, 0, 0];
  const end = input.offset + input.limit;
  const sorted = input.sort !== undefined;
  const n = scope.size;
  // Sorted queries keep every match; unsorted ones only the requested window.
  const matches = buffer('matches', sorted ? n : Math.max(0, Math.min(input.limit, n)));
  let kept = 0;
  let filtered = 0;
  const count = predicates.length;
  for (let i = 0; i < n; i++) {
    let pass = true;
    for (let p = 0; p < count; p++) {
      if (!predicates[p]!(i)) {
        pass = false;
        break;
      }
    }
    if (!pass) continue;
    const slot = labels[i]!.star ?? 6;
    facet[slot]!++;
    if (starAllowed !== null && starAllowed[slot] === 0) continue;
    if (sorted || (filtered >= input.offset && filtered < end)) matches[kept++] = i;
    filtered++;
  }
  const found = matches.subarray(0, kept);
  const page =
    input.sort === undefined
      ? Array.from(found)
      : orderPage(scope, labels, found, input.sort, input.offset, input.limit);
  return {
    total: n,
    filtered_total: filtered,
    facets: {
      star: {
        null: facet[6]!,
        0: facet[0]!,
        1: facet[1]!,
        2: facet[2]!,
        3: facet[3]!,
        4: facet[4]!,
        5: facet[5]!,
      },
    },
    page,
  };
}

/** Slots 0–5 for stars, 6 for unrated; null when there is no star filter. */
function compileStarFilter(stars: readonly (number | null)[] | undefined): Uint8Array | null {
  if (stars === undefined) return null;
  const allowed = new Uint8Array(7);
  for (const star of stars) allowed[star ?? 6] = 1;
  return allowed;
}

function inRange(value: number, range: NumberRange): boolean {
  return (
    (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max)
  );
}

const foldedNotes = new WeakMap<Labels, string>();
function notesOf(labels: Labels): string {
  let value = foldedNotes.get(labels);
  if (value === undefined) {
    value = foldText(labels.notes);
    foldedNotes.set(labels, value);
  }
  return value;
}

const updatedMs = new WeakMap<Labels, number>();
/** Milliseconds of `updated_at`, NaN when never labelled. */
function updatedAtMs(labels: Labels): number {
  if (labels.updated_at === null) return Number.NaN;
  let ms = updatedMs.get(labels);
  if (ms === undefined) {
    ms = Date.parse(labels.updated_at);
    updatedMs.set(labels, ms);
  }
  return ms;
}

/** Predicate: every search term is in the path, tags or notes of the image at `i`. */
export function textPredicate(
  scope: Scope,
  labels: readonly Labels[],
  query: string,
): Predicate | null {
  const terms = searchTerms(query);
  if (terms.length === 0) return null;
  const paths = scope.foldedPaths();
  return (i) => {
    const path = paths[i]!;
    let rest: string | undefined;
    for (const term of terms) {
      if (path.includes(term)) continue;
      rest ??= labelTextOf(labels[i]!);
      if (!rest.includes(term)) return false;
    }
    return true;
  };
}

/** Every filter except the star filter (which feeds the facets), cheapest first. */
function compileFilters(
  scope: Scope,
  labels: readonly Labels[],
  filters: QueryFilters,
  textQuery: string,
): Predicate[] {
  const predicates: Predicate[] = [];
  const entries = scope.entries;
  const { width, height } = filters;
  if (width)
    predicates.push((i) => entries[i]!.width !== null && inRange(entries[i]!.width!, width));
  if (height)
    predicates.push((i) => entries[i]!.height !== null && inRange(entries[i]!.height!, height));
  if (filters.has_notes !== undefined) {
    const want = filters.has_notes;
    predicates.push((i) => (labels[i]!.notes !== '') === want);
  }
  if (filters.updated_by) {
    const people = new Set(filters.updated_by.map((p) => p.normalize('NFC')));
    predicates.push((i) => labels[i]!.updated_by !== null && people.has(labels[i]!.updated_by!));
  }
  if (filters.updated_since !== undefined) {
    const since = Date.parse(filters.updated_since);
    predicates.push((i) => updatedAtMs(labels[i]!) >= since);
  }
  const tags = filters.tags;
  if (tags?.any && tags.any.length > 0) {
    const any = new Set(tags.any);
    predicates.push((i) => labels[i]!.tags.some((t) => any.has(t)));
  }
  if (tags?.all && tags.all.length > 0) {
    const all = [...new Set(tags.all)];
    predicates.push((i) => all.every((t) => labels[i]!.tags.includes(t)));
  }
  if (tags?.none && tags.none.length > 0) {
    const none = new Set(tags.none);
    predicates.push((i) => !labels[i]!.tags.some((t) => none.has(t)));
  }
  if (filters.metrics) {
    const ranges = Object.entries(filters.metrics);
    predicates.push((i) => {
      const metrics = labels[i]!.metrics;
      for (const [key, range] of ranges) {
        const value = metrics[key];
        if (value === undefined || !inRange(value, range)) return false;
      }
      return true;
    });
  }
  if (filters.name !== undefined) {
    const needle = foldText(filters.name);
    const paths = scope.foldedPaths();
    const starts = scope.nameStarts();
    predicates.push((i) => paths[i]!.indexOf(needle, starts[i]) !== -1);
  }
  if (filters.notes !== undefined) {
    const needle = foldText(filters.notes);
    predicates.push((i) => labels[i]!.notes !== '' && notesOf(labels[i]!).includes(needle));
  }
  const text = textPredicate(scope, labels, textQuery);
  if (text !== null) predicates.push(text);
  return predicates;
}

/** A well-mixed 32-bit value of (path hash, seed): the same seed gives the same shuffle. */
export function randomRank(hash: number, seed: number): number {
  let h = (hash ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Sort keys of the matches (NaN = no value), already negated for descending order. */
function sortKeys(
  scope: Scope,
  labels: readonly Labels[],
  matches: Int32Array,
  sort: QuerySort,
): Float64Array {
  const keys = buffer('keys', matches.length);
  const sign = sort.by === 'random' || sort.dir === 'asc' ? 1 : -1;
  switch (sort.by) {
    case 'added': {
      const added = scope.addedMs();
      for (let j = 0; j < keys.length; j++) keys[j] = sign * added[matches[j]!]!;
      break;
    }
    case 'name': {
      const ranks = scope.nameRanks();
      for (let j = 0; j < keys.length; j++) keys[j] = sign * ranks[matches[j]!]!;
      break;
    }
    case 'star':
      for (let j = 0; j < keys.length; j++)
        keys[j] = sign * (labels[matches[j]!]!.star ?? Number.NaN);
      break;
    case 'updated_at':
      for (let j = 0; j < keys.length; j++) keys[j] = sign * updatedAtMs(labels[matches[j]!]!);
      break;
    case 'metric':
      for (let j = 0; j < keys.length; j++) {
        keys[j] = sign * (labels[matches[j]!]!.metrics[sort.key] ?? Number.NaN);
      }
      break;
    case 'random': {
      const hashes = scope.pathHashes();
      for (let j = 0; j < keys.length; j++) keys[j] = randomRank(hashes[matches[j]!]!, sort.seed);
      break;
    }
  }
  return keys;
}

/** Positions of matches [offset, offset+limit) in sorted order. */
function orderPage(
  scope: Scope,
  labels: readonly Labels[],
  matches: Int32Array,
  sort: QuerySort,
  offset: number,
  limit: number,
): number[] {
  const n = matches.length;
  const end = Math.min(n, offset + limit);
  if (end <= offset) return [];
  const keys = sortKeys(scope, labels, matches, sort);
  const order = buffer('order', n);
  for (let j = 0; j < n; j++) order[j] = j;
  // Bring ranks [0, end) to the front, then ranks [offset, end) behind the first `offset`;
  // only the page itself is then sorted. Expected O(n), whatever the depth of the page.
  if (end < n) select(order, keys, 0, n - 1, end);
  if (offset > 0) select(order, keys, 0, end - 1, offset);
  const page = Array.from(order.subarray(offset, end));
  page.sort((a, b) => (before(keys, a, b) ? -1 : 1));
  return page.map((j) => matches[j]!);
}

/** Strict total order: key ascending, NaN (no value) last, ties by index. */
function before(keys: Float64Array, a: number, b: number): boolean {
  const x = keys[a]!;
  const y = keys[b]!;
  if (Number.isNaN(x)) return Number.isNaN(y) && a < b;
  if (Number.isNaN(y)) return true;
  return x < y || (x === y && a < b);
}

const MAX_SELECT_ROUNDS = 64;

/**
 * Quickselect (Hoare partition, median-of-three pivot): rearrange order[lo..hi] so that its
 * first `k - lo` elements are the smallest, in any order. After too many rounds (an adversarial
 * input), the rest of the range is simply sorted.
 */
function select(order: Int32Array, keys: Float64Array, lo: number, hi: number, k: number): void {
  const target = k - 1;
  for (let round = 0; lo < hi; round++) {
    if (round === MAX_SELECT_ROUNDS) {
      const rest = Array.from(order.subarray(lo, hi + 1)).sort((a, b) =>
        before(keys, a, b) ? -1 : 1,
      );
      order.set(rest, lo);
      return;
    }
    const mid = (lo + hi) >>> 1;
    let a = order[lo]!;
    let b = order[mid]!;
    const c = order[hi]!;
    if (before(keys, b, a)) [a, b] = [b, a];
    const pivot = before(keys, c, b) ? (before(keys, c, a) ? a : c) : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(keys, order[i]!, pivot)) i++;
      while (before(keys, pivot, order[j]!)) j--;
      if (i <= j) {
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return;
  }
}
