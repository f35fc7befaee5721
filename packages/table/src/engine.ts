/**
 * The table engine: one per loaded table (a reload builds a new one, which drops every cache).
 * Everything the server needs: the field list, queries, facets, one row's fields, folders.
 */

import { BinCodeCache } from './bin-codes.ts';
import type { FieldInfo } from './classify.ts';
import { listAt, stringAt } from './columns.ts';
import { EngineCache } from './engine-cache.ts';
import { computeFacets } from './facets.ts';
import { planQuery } from './query-plan.ts';
import type {
  FacetRequest,
  FacetResult,
  LabelMetrics,
  QueryContext,
  QueryResult,
  TableQuery,
} from './query-types.ts';
import { runQuery, tallyOf } from './run-query.ts';
import { folderPaths } from './scope.ts';
import type { Table } from './table.ts';

/** Field names by role; `metrics` includes metrics that exist only as labels. */
export type FieldList = {
  readonly path_column: string;
  readonly metrics: readonly string[];
  /** Metrics with no table column: they exist only as label values. */
  readonly label_metrics: readonly string[];
  /** Numeric bookkeeping and date columns (sortable and filterable, not metrics). */
  readonly numbers: readonly string[];
  readonly categoricals: readonly string[];
  readonly multi: readonly string[];
  readonly text: readonly string[];
  readonly fields: readonly FieldInfo[];
};

/** Every field of one row; missing values are null, label metrics override table metrics. */
export type RowRecord = {
  readonly row: number;
  readonly file_row: number;
  readonly path: string;
  readonly source: string | null;
  readonly metrics: Record<string, number | null>;
  readonly numbers: Record<string, number | null>;
  readonly categoricals: Record<string, string | null>;
  readonly multi: Record<string, string[] | null>;
  readonly text: Record<string, string | null>;
};

export type TableEngine = {
  readonly table: Table;
  fields(labels?: LabelMetrics | null): FieldList;
  query(query: TableQuery, ctx?: QueryContext): QueryResult;
  facets(query: TableQuery, request?: FacetRequest, ctx?: QueryContext): FacetResult;
  row(row: number, labels?: LabelMetrics | null): RowRecord;
  /** Every folder of the item paths, '/' first. */
  folders(): readonly string[];
};

const numberOrNull = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? null : v);

export function createTableEngine(table: Table): TableEngine {
  const cache = new EngineCache(table);
  let folders: string[] | null = null;
  const bins = new BinCodeCache();
  const names = (role: FieldInfo['role']) =>
    table.fields.filter((f) => f.role === role).map((f) => f.name);

  const fields = (labels: LabelMetrics | null = null): FieldList => {
    const merged = cache.labelMetrics(labels);
    const labelOnly = [...merged].filter(([, m]) => m.labels_only).map(([name]) => name);
    return {
      path_column: table.path_column,
      metrics: [...names('metric'), ...labelOnly.sort()],
      label_metrics: labelOnly,
      numbers: names('field'),
      categoricals: names('categorical'),
      multi: names('multi'),
      text: names('text'),
      fields: table.fields,
    };
  };

  return {
    table,
    fields,
    query(query, ctx = {}) {
      return runQuery(cache, planQuery(cache, query, ctx), query, ctx);
    },
    facets(query, request = {}, ctx = {}) {
      const plan = planQuery(cache, query, ctx);
      const list = fields(ctx.labels ?? null);
      const facets = computeFacets(
        plan,
        request,
        {
          metrics: list.metrics,
          categoricals: [...list.categoricals, ...list.multi],
        },
        bins,
      );
      return {
        scope_total: plan.scope_total,
        filtered_total: plan.filtered_total,
        ...facets,
        derived: plan.derived,
        tally: ctx.tally ? tallyOf(plan, ctx.tally) : null,
      };
    },
    row(row, labels = null) {
      const merged = cache.labelMetrics(labels);
      const record: RowRecord = {
        row,
        file_row: table.file_rows[row]!,
        path: table.paths[row]!,
        source: null,
        metrics: {},
        numbers: {},
        categoricals: {},
        multi: {},
        text: {},
      };
      for (const info of table.fields) {
        const column = table.columns.get(info.name)!;
        if (column.kind === 'number') {
          const value = merged.get(info.name)?.values[row] ?? column.values[row];
          (info.role === 'metric' ? record.metrics : record.numbers)[info.name] =
            numberOrNull(value);
        } else if (column.kind === 'list') record.multi[info.name] = listAt(column, row);
        else if (info.role === 'path')
          (record as { source: string | null }).source = stringAt(column, row);
        else if (info.role === 'categorical')
          record.categoricals[info.name] = stringAt(column, row);
        else record.text[info.name] = stringAt(column, row);
      }
      for (const [name, metric] of merged) {
        if (metric.labels_only) record.metrics[name] = numberOrNull(metric.values[row]);
      }
      return record;
    },
    folders() {
      folders ??= folderPaths(table.paths);
      return folders;
    },
  };
}
