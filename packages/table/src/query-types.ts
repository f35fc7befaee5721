/**
 * The one query shape of the table engine. The server translates both wire dialects (the
 * original's `filters: {and: [...]}` / `sort: {kind, key}` / `derived_metric`, and Lenslet's own)
 * into this at the edge.
 */
import type { Expr } from './formula.ts';

/** The folder an answer covers: its direct items, or its whole subtree. */
export type Scope = { readonly folder: string; readonly recursive: boolean };

/**
 * One condition on one field. `range` is inclusive at both ends (a null/absent bound is open)
 * and never matches a missing value. `in` matches rows holding any of the values (for a list:
 * any element); `not_in` matches rows holding none of them (missing rows included).
 */
export type Filter =
  | {
      readonly kind: 'range';
      readonly field: string;
      readonly min?: number | null;
      readonly max?: number | null;
    }
  | { readonly kind: 'in'; readonly field: string; readonly values: readonly string[] }
  | { readonly kind: 'not_in'; readonly field: string; readonly values: readonly string[] }
  | { readonly kind: 'missing'; readonly field: string }
  | { readonly kind: 'present'; readonly field: string };

/**
 * Sort key: a field (metric, number, categorical, text, derived key) or `@row` (the file's
 * order), `@path`, `@name` (file name, then path), `@random` (hash of `seed` and path). Missing values go last in both
 * directions; ties are broken by path, ascending.
 */
export type SortSpec = {
  readonly key: string;
  readonly dir?: 'asc' | 'desc';
  readonly seed?: string | number | null;
};

/**
 * A derived score, usable as a field under `key` (in filters, sort and facets) for this query.
 * z()/rank()/minmax() are computed over the `population` (default: rows in scope that pass the
 * text query and every filter not on a derived field, as the original does) or the whole scope.
 */
export type DerivedField = {
  readonly key: string;
  readonly expr: Expr;
  readonly population?: 'filtered' | 'scope';
};

export type TableQuery = {
  readonly scope?: Scope;
  readonly filters?: readonly Filter[];
  /**
   * Case-insensitive substring over item paths and text columns (and `QueryContext.text`); a
   * list of terms must all match (each anywhere).
   */
  readonly text?: string | readonly string[] | null;
  readonly sort?: SortSpec;
  readonly offset?: number;
  readonly limit?: number;
  /** Place the window so this item path sits in its middle (when it passes the filters). */
  readonly anchor?: string | null;
  readonly derived?: readonly DerivedField[];
};

/** A per-row predicate from the caller (e.g. star, tags, notes from the label state). */
export type RowFilter = {
  /** The field it filters; a facet of that field ignores it ("all filters except its own"). */
  readonly field?: string;
  readonly test: (row: number) => boolean;
};

/**
 * Label metrics written through the API. A label metric overrides the table value of the same
 * name for that item; a name the table lacks becomes a metric of its own.
 */
export type LabelMetrics = {
  /** Any value that changes whenever a label metric changes (e.g. the label log's head seq). */
  readonly version: number | string;
  /** Item path → its label metrics (null/absent = no label value, the table value stands). */
  readonly items: Iterable<readonly [string, Readonly<Record<string, number | null | undefined>>]>;
};

export type QueryContext = {
  readonly labels?: LabelMetrics | null;
  readonly filters?: readonly RowFilter[];
  /** Extra text matches (tags, notes…), OR-ed with the table's text: gets the lower-cased needle. */
  readonly text?: (row: number, needle: string) => boolean;
  /**
   * Count the rows per bucket under every filter except those on `field` (e.g. star chips:
   * bucket = star, the star filter left out); answered as `QueryResult.tally`.
   */
  readonly tally?: {
    readonly field: string;
    readonly buckets: number;
    readonly bucket: (row: number) => number;
  };
};

export type DerivedStatus = {
  readonly key: string;
  readonly population_count: number;
  readonly valid_count: number;
  readonly invalid_count: number;
  readonly z_stats: Readonly<Record<string, { mean: number; std: number; count: number }>>;
};

export type QueryResult = {
  readonly scope_total: number;
  readonly filtered_total: number;
  readonly offset: number;
  readonly limit: number;
  /** Rows of the window, in order. */
  readonly rows: Uint32Array;
  readonly derived: readonly DerivedStatus[];
  /** Each derived field's value for each window row (same order as `rows`; null = no score). */
  readonly derived_values: Readonly<Record<string, readonly (number | null)[]>>;
  /** Counts per bucket of `QueryContext.tally`, or null without one. */
  readonly tally: number[] | null;
};

/** Bins of every histogram unless a facet request says otherwise (the original uses 40). */
export const HISTOGRAM_BINS = 40;

export type FacetRequest = {
  /** Numeric fields (metrics, numbers, derived keys) to histogram; default every metric. */
  readonly metrics?: readonly string[];
  /** Categorical and multi fields to count; default every categorical and multi field. */
  readonly categoricals?: readonly string[];
  readonly bins?: number;
  /**
   * 'exclude' (default): a field's facet counts rows under every filter except those on that
   * field, so a brush can be widened again. 'include': under all filters (the original).
   */
  readonly own_filter?: 'exclude' | 'include';
  /**
   * 'scope' (default): bins span the field's range over the scope, fixed while filters change.
   * 'counted': they span the counted rows' range (the original).
   */
  readonly bin_range?: 'scope' | 'counted';
};

export type Histogram = {
  readonly min: number | null;
  readonly max: number | null;
  /** Rows counted per bin; bin i is [min + i·w, min + (i+1)·w), the maximum in the last bin. */
  readonly bins: number[];
  /** Of those, rows that also pass the field's own filter (the brushed part). */
  readonly selected: number[];
  /** Rows counted with a value (= sum of bins). */
  readonly count: number;
  readonly missing: { readonly null: number; readonly nan: number };
  /** Rows counted = count + missing.null + missing.nan. */
  readonly total: number;
};

export type CategoryFacet = {
  /** Sorted by count descending, then value. */
  readonly values: { value: string; count: number; selected: number }[];
  readonly missing: number;
  /** Rows counted (for a categorical: sum of counts + missing; a list row counts per value). */
  readonly total: number;
};

export type FacetResult = {
  readonly scope_total: number;
  readonly filtered_total: number;
  readonly metrics: Record<string, Histogram>;
  readonly categoricals: Record<string, CategoryFacet>;
  readonly derived: readonly DerivedStatus[];
  /** Counts per bucket of `QueryContext.tally`, or null without one. */
  readonly tally: number[] | null;
};
