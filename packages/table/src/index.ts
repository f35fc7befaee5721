// Loading a table
export type { FieldInfo, FieldRole } from './classify.ts';
export {
  CATEGORICAL_MAX_DISTINCT,
  PATH_COLUMN_NAMES,
  type WellKnownField,
} from './column-names.ts';
export {
  type CategoryColumn,
  type Column,
  getBit,
  type ListColumn,
  listAt,
  type NumberColumn,
  newBitset,
  type RawTable,
  setBit,
  stringAt,
  type TextColumn,
  type UnsupportedColumn,
} from './columns.ts';
// The engine: fields, queries, facets, rows
export {
  createTableEngine,
  type FieldList,
  type RowRecord,
  type TableEngine,
} from './engine.ts';
// Derived scores
export { type Expr, FUNCTIONS, formulaInputs, parseFormula } from './formula.ts';
export { MAX_FORMULA_LENGTH } from './formula-tokens.ts';
export { type GatherSegment, gatherColumn } from './gather-rows.ts';
export { toItemPath } from './item-path.ts';
export { naturalKey } from './natural-key.ts';
export {
  type OriginalDerivedMetric,
  originalDerivedKey,
  originalDerivedToExpr,
} from './original-derived.ts';
export {
  type CategoryFacet,
  type DerivedField,
  type DerivedStatus,
  type FacetRequest,
  type FacetResult,
  type Filter,
  HISTOGRAM_BINS,
  type Histogram,
  type LabelMetrics,
  type QueryContext,
  type QueryResult,
  type RowFilter,
  type Scope,
  type SortSpec,
  type TableQuery,
} from './query-types.ts';
export { type ReadTableOptions, readTable, tableFormat } from './read-table.ts';
export { DEFAULT_LIMIT } from './run-query.ts';
export {
  createTable,
  MAX_SKIPPED_EXAMPLES,
  rowOf,
  type SkippedRow,
  type SkipReason,
  type Table,
  type TableFormat,
  type TableOptions,
} from './table.ts';
