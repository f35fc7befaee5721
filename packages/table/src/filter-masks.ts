/**
 * One row mask per filter (1 = passes), and their AND per field ("group"), so facets can drop a
 * field's own group. Range bounds are inclusive; missing values never pass a range.
 */
import { LensletError } from '@lenslet/core';
import { getBit } from './columns.ts';
import type { FieldResolver, ResolvedField } from './field-resolver.ts';
import type { Filter } from './query-types.ts';
import { stringMask } from './string-match.ts';

function invalid(message: string, name: string): LensletError {
  return new LensletError('invalid_query', message, { details: { name } });
}

function rangeMask(values: Float64Array, min: number, max: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const v = values[r]!;
    out[r] = v >= min && v <= max ? 1 : 0;
  }
  return out;
}

function missingMask(field: ResolvedField, n: number): Uint8Array {
  const out = new Uint8Array(n);
  switch (field.kind) {
    case 'number':
      for (let r = 0; r < n; r++) out[r] = Number.isNaN(field.values[r]!) ? 1 : 0;
      break;
    case 'category':
      for (let r = 0; r < n; r++) out[r] = field.column.codes[r] === 0 ? 1 : 0;
      break;
    case 'list':
      for (let r = 0; r < n; r++) out[r] = getBit(field.column.nulls, r) ? 1 : 0;
      break;
    case 'text':
      for (let r = 0; r < n; r++) out[r] = field.column.values[r] == null ? 1 : 0;
      break;
  }
  return out;
}

/** The rows passing one filter. */
export function filterMask(filter: Filter, fields: FieldResolver, n: number): Uint8Array {
  const field = fields.get(filter.field);
  switch (filter.kind) {
    case 'range': {
      if (field.kind !== 'number')
        throw invalid(
          `a range needs a numeric field; "${filter.field}" is ${field.kind}`,
          filter.field,
        );
      const min = filter.min ?? -Infinity;
      const max = filter.max ?? Infinity;
      if (Number.isNaN(min) || Number.isNaN(max))
        throw invalid(`range bounds of "${filter.field}" must be numbers`, filter.field);
      if (min > max)
        throw invalid(
          `range of "${filter.field}": min ${min} is greater than max ${max}`,
          filter.field,
        );
      return rangeMask(field.values, min, max, n);
    }
    case 'in':
    case 'not_in': {
      if (field.kind === 'number') {
        throw invalid(
          `"${filter.field}" is numeric: filter it with a range, not a value list`,
          filter.field,
        );
      }
      const wanted = new Set(filter.values);
      const hit = stringMask(field.column, (v) => wanted.has(v), n);
      if (filter.kind === 'not_in') for (let r = 0; r < n; r++) hit[r] = 1 - hit[r]!;
      return hit;
    }
    case 'missing':
    case 'present': {
      const mask = missingMask(field, n);
      if (filter.kind === 'present') for (let r = 0; r < n; r++) mask[r] = 1 - mask[r]!;
      return mask;
    }
  }
}

/** AND `mask` into `into` (in place). */
export function andInto(into: Uint8Array, mask: Uint8Array): void {
  for (let r = 0; r < into.length; r++) into[r]! &= mask[r]!;
}

/** Count of set entries. */
export function countMask(mask: Uint8Array | null, n: number): number {
  if (mask === null) return n;
  let count = 0;
  for (let r = 0; r < n; r++) count += mask[r]!;
  return count;
}
