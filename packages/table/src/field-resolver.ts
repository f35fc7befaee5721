/**
 * Name → values for one query: derived fields of the query, then label-merged metrics, then the
 * table's columns. Unknown names and wrong kinds are `invalid_query` naming the field.
 */
import { LensletError } from '@lenslet/core';
import type { CategoryColumn, ListColumn, TextColumn } from './columns.ts';
import type { MergedMetric } from './label-overlay.ts';
import type { Table } from './table.ts';

export type ResolvedField =
  | {
      readonly kind: 'number';
      readonly name: string;
      readonly values: Float64Array;
      /** Null bits (null vs NaN); null for derived values, whose missing rows count as NaN. */
      readonly nulls: Uint8Array | null;
      readonly source: 'table' | 'labels' | 'derived';
    }
  | { readonly kind: 'category'; readonly name: string; readonly column: CategoryColumn }
  | { readonly kind: 'list'; readonly name: string; readonly column: ListColumn }
  | { readonly kind: 'text'; readonly name: string; readonly column: TextColumn };

export class FieldResolver {
  private readonly derived = new Map<string, Float64Array>();

  constructor(
    private readonly table: Table,
    private readonly merged: ReadonlyMap<string, MergedMetric>,
  ) {}

  addDerived(key: string, values: Float64Array): void {
    this.derived.set(key, values);
  }

  isDerived(name: string): boolean {
    return this.derived.has(name);
  }

  /** The field, or undefined when no field has this name. */
  find(name: string): ResolvedField | undefined {
    const derived = this.derived.get(name);
    if (derived) return { kind: 'number', name, values: derived, nulls: null, source: 'derived' };
    const merged = this.merged.get(name);
    if (merged)
      return { kind: 'number', name, values: merged.values, nulls: merged.nulls, source: 'labels' };
    const column = this.table.columns.get(name);
    if (!column) return undefined;
    if (column.kind === 'number') {
      return { kind: 'number', name, values: column.values, nulls: column.nulls, source: 'table' };
    }
    if (column.kind === 'category') return { kind: 'category', name, column };
    if (column.kind === 'list') return { kind: 'list', name, column };
    return { kind: 'text', name, column };
  }

  /** The field, or `invalid_query` naming it. */
  get(name: string, what = 'field'): ResolvedField {
    const field = this.find(name);
    if (!field)
      throw new LensletError('invalid_query', `unknown ${what} "${name}"`, { details: { name } });
    return field;
  }

  /** A numeric field's values, or `invalid_query`. */
  numbers(name: string, what = 'metric'): Float64Array {
    const field = this.get(name, what);
    if (field.kind !== 'number') {
      throw new LensletError(
        'invalid_query',
        `"${name}" is not numeric (it is a ${field.kind} field)`,
        {
          details: { name },
        },
      );
    }
    return field.values;
  }
}
