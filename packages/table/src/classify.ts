/**
 * Column classification: which column names the image, and what every other column is.
 * - numbers → metric, unless the name is bookkeeping (`width`, `face_count`, `is_nsfw`…) → field;
 * - booleans → categorical; strings with ≤ 60 distinct values → categorical, unless the name
 *   says identifier or prose (`caption`, `prompt`, `*_id`…) → text; other strings → text;
 * - lists of strings → multi (multi-valued categorical).
 */
import { LensletError } from '@lenslet/core';
import {
  bookkeepingReason,
  CATEGORICAL_MAX_DISTINCT,
  IMAGE_EXTENSION,
  PATH_COLUMN_NAMES,
  textNameReason,
  WELL_KNOWN_FIELDS,
  type WellKnownField,
} from './column-names.ts';
import { type Column, presentCount, stringAt } from './columns.ts';

export type FieldRole = 'path' | 'metric' | 'field' | 'categorical' | 'multi' | 'text';

/** One column of a loaded table, as the field list shows it. */
export type FieldInfo = {
  readonly name: string;
  readonly role: FieldRole;
  readonly kind: Column['kind'];
  /** Rows with a value (not null, not NaN). */
  readonly present: number;
  readonly null_count: number;
  readonly nan_count: number;
  /** Distinct values of a categorical, multi or dictionary-held text column. */
  readonly distinct: number | null;
  /** Why the column got its role, e.g. `bookkeeping suffix "_count"`. */
  readonly reason: string;
};

const SAMPLE_SIZE = 200;

/** Share of sampled non-empty values that look like image locations. */
function imageShare(column: Column, rowCount: number): number {
  if (column.kind !== 'text' && column.kind !== 'category') return 0;
  let seen = 0;
  let images = 0;
  const step = Math.max(1, Math.floor(rowCount / SAMPLE_SIZE));
  for (let row = 0; row < rowCount && seen < SAMPLE_SIZE; row += step) {
    const value = stringAt(column, row);
    if (value === null || value.trim() === '') continue;
    seen++;
    if (IMAGE_EXTENSION.test(value.trim().split('?')[0]!)) images++;
  }
  return seen === 0 ? 0 : images / seen;
}

/** The image column: `requested` if given, else the best-scoring string column. */
export function findPathColumn(
  columns: readonly Column[],
  rowCount: number,
  requested: string | null,
  file: string,
): Column {
  if (requested) {
    const column = columns.find((c) => c.name === requested);
    if (!column) {
      const names = columns.map((c) => c.name).join(', ');
      throw new LensletError(
        'invalid_table',
        `${file}: no column "${requested}" (columns: ${names})`,
      );
    }
    if (column.kind !== 'text' && column.kind !== 'category') {
      throw new LensletError(
        'invalid_table',
        `${file}: path column "${requested}" does not hold strings`,
      );
    }
    return column;
  }
  let best: { column: Column; score: number } | null = null;
  for (const column of columns) {
    const rank = PATH_COLUMN_NAMES.indexOf(column.name.toLowerCase());
    const share = imageShare(column, rowCount);
    if (rank < 0 && share < 0.5) continue;
    const score = share * 2 + (rank < 0 ? 0 : 1 - rank / PATH_COLUMN_NAMES.length);
    if (column.kind !== 'text' && column.kind !== 'category') continue;
    if (!best || score > best.score) best = { column, score };
  }
  if (!best) {
    throw new LensletError(
      'invalid_table',
      `${file}: no image path column found (looked for ${PATH_COLUMN_NAMES.slice(0, 6).join(', ')}, … or values ending in an image extension); name one with --path-column`,
    );
  }
  return best.column;
}

function distinctOf(column: Column): number | null {
  if (column.kind === 'category' || column.kind === 'list') return column.values.length;
  return null;
}

/** The role of a non-path column and why. */
export function classifyColumn(column: Column, rowCount: number): FieldInfo {
  const base = {
    name: column.name,
    kind: column.kind,
    present: presentCount(column, rowCount),
    null_count:
      column.kind === 'number' || column.kind === 'list' ? column.null_count : column.missing_count,
    nan_count: column.kind === 'number' ? column.nan_count : 0,
    distinct: distinctOf(column),
  };
  switch (column.kind) {
    case 'number': {
      const reason = bookkeepingReason(column.name);
      if (column.temporal) return { ...base, role: 'field', reason: 'date or timestamp' };
      return reason
        ? { ...base, role: 'field', reason }
        : { ...base, role: 'metric', reason: 'numeric' };
    }
    case 'list':
      return { ...base, role: 'multi', reason: 'list of strings' };
    case 'text':
      return {
        ...base,
        role: 'text',
        reason: `more than ${CATEGORICAL_MAX_DISTINCT} distinct values`,
      };
    case 'category': {
      if (column.boolean) return { ...base, role: 'categorical', reason: 'boolean' };
      const textName = textNameReason(column.name);
      if (textName) return { ...base, role: 'text', reason: textName };
      if (column.values.length > CATEGORICAL_MAX_DISTINCT) {
        return {
          ...base,
          role: 'text',
          reason: `more than ${CATEGORICAL_MAX_DISTINCT} distinct values`,
        };
      }
      return { ...base, role: 'categorical', reason: `${column.values.length} distinct values` };
    }
  }
}

/** Well-known item fields (`width`, `height`, `size`, `mtime`, `name`, `mime`) → column name. */
export function wellKnownColumns(
  fields: readonly FieldInfo[],
): Partial<Record<WellKnownField, string>> {
  const out: Partial<Record<WellKnownField, string>> = {};
  for (const [field, names] of Object.entries(WELL_KNOWN_FIELDS) as [
    WellKnownField,
    readonly string[],
  ][]) {
    const wantsNumber = field !== 'name' && field !== 'mime';
    const match = fields.find(
      (f) =>
        f.role !== 'path' &&
        (names as readonly string[]).includes(f.name.toLowerCase()) &&
        (f.kind === 'number') === wantsNumber,
    );
    if (match) out[field] = match.name;
  }
  return out;
}
