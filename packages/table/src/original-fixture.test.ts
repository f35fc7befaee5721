import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import {
  type CategoryColumn,
  type ListColumn,
  listAt,
  type NumberColumn,
  stringAt,
} from './columns.ts';
import { readTable } from './read-table.ts';
import type { Table } from './table.ts';
import { ORIGINAL_DIR, type OriginalRows } from './test-support.ts';

const data = JSON.parse(readFileSync(join(ORIGINAL_DIR, 'rows.json'), 'utf8')) as OriginalRows;
let table: Table;
beforeAll(async () => {
  table = await readTable(join(ORIGINAL_DIR, 'gallery.parquet'));
});

test('the original gallery.parquet (pyarrow) loads every row in order under its image path', () => {
  expect(table.row_count).toBe(data.rows.length);
  expect(table.path_column).toBe('image_path');
  expect(table.paths).toEqual(data.rows.map((r) => `/${r.image_path}`));
  expect(table.skipped.counts).toEqual({ missing_path: 0, invalid_path: 0, duplicate_path: 0 });
});

test('every metric cell matches rows.json, null and NaN told apart', () => {
  for (const name of data.metric_columns) {
    const column = table.columns.get(name) as NumberColumn;
    expect(column.kind).toBe('number');
    data.rows.forEach((row, i) => {
      const want = row.metrics[name];
      const v = column.values[i]!;
      const isNull = (column.nulls[i >>> 3]! & (1 << (i & 7))) !== 0;
      if (row.nan[name]) expect([Number.isNaN(v), isNull]).toEqual([true, false]);
      else if (want === null) expect([Number.isNaN(v), isNull]).toEqual([true, true]);
      else expect(v).toBe(want);
    });
  }
});

test('categoricals, caption text and keyword lists match rows.json', () => {
  for (const name of data.categorical_columns) {
    const column = table.columns.get(name) as CategoryColumn;
    data.rows.forEach((row, i) => {
      expect(stringAt(column, i)).toBe(row.categoricals[name] ?? null);
    });
  }
  const caption = table.columns.get('caption') as CategoryColumn;
  const keywords = table.columns.get('keywords') as ListColumn;
  data.rows.forEach((row, i) => {
    expect(stringAt(caption, i)).toBe(row.caption);
    expect(listAt(keywords, i)).toEqual(row.keywords);
  });
});

test('columns are classified as the original does, with list columns as multi-valued', () => {
  const roles = Object.fromEntries(table.fields.map((f) => [f.name, f.role]));
  expect(roles).toEqual({
    image_path: 'path',
    aesthetic: 'metric',
    clip_score: 'metric',
    sharpness: 'metric',
    novelty: 'metric',
    nsfw_score: 'metric',
    faces: 'metric',
    style: 'categorical',
    split: 'categorical',
    caption: 'text',
    keywords: 'multi',
  });
  expect(table.fields.find((f) => f.name === 'novelty')).toMatchObject({
    present: 277,
    null_count: 10,
    nan_count: 13,
  });
});
