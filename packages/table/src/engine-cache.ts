/**
 * What the engine computes once per loaded table and reuses across queries: rows in path
 * order, full sort orders per field and direction, search haystacks, label-merged metrics
 * (per label version). A reloaded table gets a new engine, so nothing here is ever stale.
 */
import { stringAt } from './columns.ts';
import type { ResolvedField } from './field-resolver.ts';
import { orderByKey } from './key-order.ts';
import { type MergedMetric, mergeLabelMetrics } from './label-overlay.ts';
import { naturalKey } from './natural-key.ts';
import type { LabelMetrics } from './query-types.ts';
import { sortRowsByKey, sortRowsByText } from './radix-sort.ts';
import type { Table } from './table.ts';
import { TextHaystack } from './text-haystack.ts';

const NO_LABELS: ReadonlyMap<string, MergedMetric> = new Map();

export class EngineCache {
  private byPath: Uint32Array | null = null;
  private readonly orders = new Map<string, Uint32Array>();
  private readonly haystacks = new Map<string, TextHaystack>();
  private merged: { version: number | string; metrics: Map<string, MergedMetric> } | null = null;

  constructor(readonly table: Table) {}

  /**
   * Rows sorted by item path (the tie-breaker of every sort, folder scopes). A table whose rows
   * already are in path order (the server builds folder galleries so) costs one comparison pass.
   */
  pathOrder(): Uint32Array {
    if (!this.byPath) {
      const { paths, path_index: index } = this.table;
      let sorted = true;
      for (let r = 1; r < paths.length && sorted; r++) sorted = paths[r - 1]! < paths[r]!;
      this.byPath = sorted
        ? Uint32Array.from({ length: paths.length }, (_, r) => r)
        : Uint32Array.from([...paths].sort(), (path) => index.get(path));
    }
    return this.byPath;
  }

  /** Rows in file order. */
  private fileOrder(): Uint32Array {
    return Uint32Array.from({ length: this.table.row_count }, (_, r) => r);
  }

  /** Compares two rows by item path (paths are unique). */
  private readonly byPathTie = (a: number, b: number): number =>
    this.table.paths[a]! < this.table.paths[b]! ? -1 : 1;

  /** Searchable lower-cased values of a text column, or of the item paths (`@path`). */
  haystack(name: string): TextHaystack {
    let haystack = this.haystacks.get(name);
    if (!haystack) {
      const { table } = this;
      const column = table.columns.get(name);
      const value =
        name === '@path' || !column || (column.kind !== 'text' && column.kind !== 'category')
          ? (row: number) => table.paths[row] ?? null
          : (row: number) => stringAt(column, row);
      haystack = new TextHaystack(value, table.row_count);
      this.haystacks.set(name, haystack);
    }
    return haystack;
  }

  /** Label metrics merged over the table's, recomputed when the label version changes. */
  labelMetrics(labels: LabelMetrics | null): ReadonlyMap<string, MergedMetric> {
    if (!labels) return NO_LABELS;
    if (this.merged?.version !== labels.version) {
      for (const key of [...this.orders.keys()])
        if (key.startsWith('labels|')) this.orders.delete(key);
      this.merged = { version: labels.version, metrics: mergeLabelMetrics(this.table, labels) };
    }
    return this.merged.metrics;
  }

  /**
   * Every row in the order of a field (missing last, ties by path), cached; null for fields
   * whose order depends on the query (derived scores).
   */
  fieldOrder(field: ResolvedField, descending: boolean): Uint32Array | null {
    if (field.kind === 'number' && field.source === 'derived') return null;
    const prefix =
      field.kind === 'number' && field.source === 'labels'
        ? `labels|${this.merged?.version}`
        : 'table';
    const key = `${prefix}|${field.name}|${descending ? 'desc' : 'asc'}`;
    let order = this.orders.get(key);
    if (!order) {
      order = this.computeOrder(field, descending);
      this.orders.set(key, order);
    }
    return order;
  }

  private computeOrder(field: ResolvedField, descending: boolean): Uint32Array {
    const rows = () => this.pathOrder();
    switch (field.kind) {
      case 'number':
        return this.byPath
          ? sortRowsByKey(this.byPath, field.values, descending)
          : orderByKey(field.values, this.table.paths, descending, () => this.pathOrder());
      case 'category': {
        const { column } = field;
        const sorted = [...column.values].sort();
        const rank = new Map(sorted.map((v, i) => [v, i]));
        const byCode = new Float64Array(column.values.length + 1);
        byCode[0] = Number.NaN;
        column.values.forEach((v, i) => {
          byCode[i + 1] = rank.get(v)!;
        });
        const key = new Float64Array(this.table.row_count);
        for (let r = 0; r < key.length; r++) key[r] = byCode[column.codes[r]!]!;
        return sortRowsByKey(rows(), key, descending);
      }
      case 'text':
        return sortRowsByText(
          this.fileOrder(),
          (r) => field.column.values[r] ?? null,
          descending,
          this.byPathTie,
        );
      case 'list':
        throw new Error('lists have no order');
    }
  }

  /**
   * Rows by file name (the last path segment) in natural, case-insensitive order (`img9` before
   * `img10`), ties by path (the `@name` sort).
   */
  nameSort(descending: boolean): Uint32Array {
    const key = `@name|${descending ? 'desc' : 'asc'}`;
    let order = this.orders.get(key);
    if (!order) {
      const paths = this.table.paths;
      const keys = paths.map((p) => naturalKey(p.slice(p.lastIndexOf('/') + 1)));
      order = sortRowsByText(this.fileOrder(), (r) => keys[r]!, descending, this.byPathTie);
      this.orders.set(key, order);
    }
    return order;
  }

  /** Rows in path order, reversed for descending (the `@path` sort). */
  pathSort(descending: boolean): Uint32Array {
    if (!descending) return this.pathOrder();
    let order = this.orders.get('@path|desc');
    if (!order) {
      order = this.pathOrder().slice().reverse();
      this.orders.set('@path|desc', order);
    }
    return order;
  }
}
