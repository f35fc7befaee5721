/**
 * A column assembled from rows of other columns: `segments` are laid end to end, and row `j` of
 * a segment is row `rows[j]` of its column, or a missing cell when `rows[j] < 0`, the segment
 * has no column, or its column is of another kind than the result's (the first segment with a
 * column decides the kind). One segment with gaps is a join (a folder's images, a table's
 * values by path); several are a concatenation (folders and tables served together).
 * Dictionaries of categories and lists are merged (first appearance order).
 */
import {
  type Codes,
  type Column,
  getBit,
  type ListColumn,
  newBitset,
  newCodes,
  setBit,
} from './columns.ts';

export type GatherSegment = { readonly column: Column | undefined; readonly rows: Int32Array };

type Kinded<K extends Column['kind']> = Extract<Column, { kind: K }>;

function sourceOf<K extends Column['kind']>(segment: GatherSegment, kind: K): Kinded<K> | null {
  return segment.column?.kind === kind ? (segment.column as Kinded<K>) : null;
}

/** Dictionary merge: per segment, old code → new code (0 stays 0). */
function mergeDictionaries(
  segments: readonly GatherSegment[],
  kind: 'category' | 'list',
): { values: string[]; maps: (Int32Array | null)[] } {
  const values: string[] = [];
  const index = new Map<string, number>();
  const maps = segments.map((segment) => {
    const column = sourceOf(segment, kind);
    if (!column) return null;
    const offset = kind === 'category' ? 1 : 0;
    const map = new Int32Array(column.values.length + offset);
    column.values.forEach((value, i) => {
      let code = index.get(value);
      if (code === undefined) {
        code = values.length + offset;
        values.push(value);
        index.set(value, code);
      }
      map[i + offset] = code;
    });
    return map;
  });
  return { values, maps };
}

export function gatherColumn(name: string, segments: readonly GatherSegment[]): Column {
  const total = segments.reduce((sum, s) => sum + s.rows.length, 0);
  const kind = segments.find((s) => s.column)?.column?.kind ?? 'number';
  switch (kind) {
    case 'number': {
      const values = new Float64Array(total).fill(Number.NaN);
      const nulls = newBitset(total);
      let nullCount = 0;
      let nanCount = 0;
      let integer = true;
      let temporal = false;
      let at = 0;
      for (const segment of segments) {
        const column = sourceOf(segment, 'number');
        if (column) {
          integer &&= column.integer;
          temporal ||= column.temporal;
        }
        for (let j = 0; j < segment.rows.length; j++, at++) {
          const src = segment.rows[j]!;
          const v = column && src >= 0 ? column.values[src]! : Number.NaN;
          values[at] = v;
          if (!Number.isNaN(v)) continue;
          if (column && src >= 0 && !getBit(column.nulls, src)) nanCount++;
          else {
            setBit(nulls, at);
            nullCount++;
          }
        }
      }
      return {
        kind,
        name,
        values,
        nulls,
        null_count: nullCount,
        nan_count: nanCount,
        integer,
        temporal,
      };
    }
    case 'category': {
      const { values, maps } = mergeDictionaries(segments, 'category');
      const codes = newCodes(total, values.length);
      let missing = 0;
      let at = 0;
      let boolean = true;
      segments.forEach((segment, s) => {
        const column = sourceOf(segment, 'category');
        if (column) boolean &&= column.boolean;
        const map = maps[s];
        for (let j = 0; j < segment.rows.length; j++, at++) {
          const src = segment.rows[j]!;
          const code = column && map && src >= 0 ? map[column.codes[src]!]! : 0;
          codes[at] = code;
          if (code === 0) missing++;
        }
      });
      return { kind, name, codes, values, missing_count: missing, boolean };
    }
    case 'text': {
      const values: (string | null)[] = new Array(total).fill(null);
      let missing = 0;
      let at = 0;
      for (const segment of segments) {
        const column = sourceOf(segment, 'text');
        for (let j = 0; j < segment.rows.length; j++, at++) {
          const src = segment.rows[j]!;
          const v = column && src >= 0 ? (column.values[src] ?? null) : null;
          values[at] = v;
          if (v === null) missing++;
        }
      }
      return { kind, name, values, missing_count: missing };
    }
    case 'list':
      return gatherList(name, segments, total);
  }
}

function gatherList(name: string, segments: readonly GatherSegment[], total: number): ListColumn {
  const { values, maps } = mergeDictionaries(segments, 'list');
  const offsets = new Uint32Array(total + 1);
  const nulls = newBitset(total);
  let nullCount = 0;
  let size = 0;
  let at = 0;
  for (const segment of segments) {
    const column = sourceOf(segment, 'list');
    for (let j = 0; j < segment.rows.length; j++, at++) {
      const src = segment.rows[j]!;
      if (!column || src < 0 || getBit(column.nulls, src)) {
        setBit(nulls, at);
        nullCount++;
      } else size += column.offsets[src + 1]! - column.offsets[src]!;
      offsets[at + 1] = size;
    }
  }
  const codes: Codes = newCodes(size, values.length);
  at = 0;
  segments.forEach((segment, s) => {
    const column = sourceOf(segment, 'list');
    const map = maps[s];
    for (let j = 0; j < segment.rows.length; j++, at++) {
      const src = segment.rows[j]!;
      if (!column || !map || src < 0 || getBit(column.nulls, src)) continue;
      let out = offsets[at]!;
      for (let i = column.offsets[src]!; i < column.offsets[src + 1]!; i++)
        codes[out++] = map[column.codes[i]!]!;
    }
  });
  return { kind: 'list', name, offsets, codes, values, nulls, null_count: nullCount };
}
