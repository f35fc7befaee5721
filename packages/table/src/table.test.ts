import { expect, test } from 'vitest';
import { classifyColumn } from './classify.ts';
import { NumberBuilder, StringBuilder } from './column-builders.ts';
import type { Column, NumberColumn, RawTable } from './columns.ts';
import { simplePathHash, toItemPath } from './item-path.ts';
import { PathIndex } from './path-index.ts';
import { createTable, rowOf } from './table.ts';

function strings(name: string, values: (string | null)[]): Column {
  const b = new StringBuilder();
  for (const v of values) b.push(v);
  return b.finish(name);
}

function numbers(name: string, values: (number | null)[]): NumberColumn {
  const b = new NumberBuilder();
  for (const v of values) v === null ? b.pushNull() : b.push(v);
  return b.finish(name);
}

function raw(columns: Column[]): RawTable {
  return {
    row_count: columns[0]!.kind === 'number' ? columns[0]!.values.length : 3,
    columns,
    unsupported: [],
  };
}

const opts = { file: 't.csv', format: 'csv' as const };

test('the path column is found by name, else by image-looking values, else named by option', () => {
  const byName = createTable(
    raw([strings('caption', ['a', 'b', 'c']), strings('filepath', ['1', '2', '3'])]),
    opts,
  );
  expect(byName.path_column).toBe('filepath');
  const byValue = createTable(
    raw([strings('caption', ['a', 'b', 'c']), strings('where', ['x.jpg', 'y.PNG', 'z.webp'])]),
    opts,
  );
  expect(byValue.path_column).toBe('where');
  const both = createTable(
    raw([strings('path', ['p1', 'p2', 'p3']), strings('image', ['x.jpg', 'y.jpg', 'z.jpg'])]),
    opts,
  );
  expect(both.path_column).toBe('image');
  const chosen = createTable(
    raw([strings('path', ['p1', 'p2', 'p3']), strings('other', ['a', 'b', 'c'])]),
    {
      ...opts,
      path_column: 'other',
    },
  );
  expect(chosen.paths).toEqual(['/a', '/b', '/c']);
  expect(() => createTable(raw([strings('caption', ['a', 'b', 'c'])]), opts)).toThrow(
    /t\.csv: no image path column found/,
  );
  expect(() =>
    createTable(raw([strings('path', ['a', 'b', 'c'])]), { ...opts, path_column: 'nope' }),
  ).toThrow(/no column "nope" \(columns: path\)/);
});

test('rows without a usable path are skipped and reported by reason; duplicates keep the first row', () => {
  const paths = strings('path', ['a.png', null, '../up.png', 'b.png', 'a.png', './a.png']);
  const score = numbers('score', [1, 2, 3, 4, 5, 6]);
  const table = createTable({ row_count: 6, columns: [paths, score], unsupported: [] }, opts);
  expect(table.paths).toEqual(['/a.png', '/b.png']);
  expect(table.skipped.counts).toEqual({ missing_path: 1, invalid_path: 2, duplicate_path: 1 });
  expect(table.skipped.examples).toContainEqual({
    row: 4,
    reason: 'duplicate_path',
    value: 'a.png',
    first_row: 0,
  });
  expect([...(table.columns.get('score') as NumberColumn).values]).toEqual([1, 4]);
  expect([...table.file_rows]).toEqual([0, 3]);
  expect(rowOf(table, '/b.png')).toBe(1);
  expect(rowOf(table, '/a.png')).toBe(0);
  expect(rowOf(table, '/c.png')).toBeUndefined();
  expect(rowOf(table, '/')).toBeUndefined();
});

test('numeric bookkeeping columns are fields, not metrics; well-known ones feed item fields', () => {
  const role = (name: string) => classifyColumn(numbers(name, [1, 2, 3]), 3).role;
  expect(['aesthetic', 'faces', 'clip_score'].map(role)).toEqual(['metric', 'metric', 'metric']);
  expect(['width', 'face_count', 'is_nsfw', 'image_id', 'created_at', 'seed'].map(role)).toEqual(
    Array(6).fill('field'),
  );
  const table = createTable(
    raw([
      strings('path', ['a.png', 'b.png', 'c.png']),
      numbers('w', [1, 2, 3]),
      numbers('h', [1, 2, 3]),
      strings('mime_type', ['image/png', 'image/png', 'image/png']),
    ]),
    opts,
  );
  expect(table.well_known).toEqual({ width: 'w', height: 'h', mime: 'mime_type' });
});

test('low-cardinality strings are categorical unless named like text or identifiers', () => {
  const cats = Array.from({ length: 100 }, (_, i) => ['a', 'b'][i % 2]!);
  expect(classifyColumn(strings('style', cats), 100).role).toBe('categorical');
  expect(classifyColumn(strings('prompt', cats), 100).role).toBe('text');
  expect(classifyColumn(strings('negative_prompt', cats), 100).role).toBe('text');
  const many = Array.from({ length: 100 }, (_, i) => `v${i % 61}`);
  expect(classifyColumn(strings('style', many), 100)).toMatchObject({ role: 'text', distinct: 61 });
  const sixty = Array.from({ length: 100 }, (_, i) => `v${i % 60}`);
  expect(classifyColumn(strings('style', sixty), 100).role).toBe('categorical');
});

test('item paths: relative, Windows, URL, under a base folder, traversal rejected', () => {
  expect(toItemPath('images/a.png')).toBe('/images/a.png');
  expect(toItemPath('images\\sub\\a b.png')).toBe('/images/sub/a b.png');
  expect(toItemPath('https://cdn.example/x/a%20b.png?v=1')).toBe('/cdn.example/x/a b.png');
  expect(toItemPath('s3://bucket/k/a.png')).toBe('/bucket/k/a.png');
  expect(toItemPath('/data/set/b/c.png', '/data/set')).toBe('/b/c.png');
  expect(toItemPath('/elsewhere/c.png', '/data/set')).toBe('/elsewhere/c.png');
  expect(toItemPath('a/../b.png')).toBeNull();
  expect(toItemPath('   ')).toBeNull();
  expect(toItemPath('e\u0301.png')).toBe('/\u00e9.png');
});

test('the one-pass hash of a simple relative path is the hash of its item path', () => {
  for (const raw of ['a.png', 'images/batch_a/img_0001.png', 'x/y-z_1.2/w.jpg', '...', 'a/.../b']) {
    expect(simplePathHash(raw)).toBe(PathIndex.hash(toItemPath(raw)!));
  }
  for (const raw of ['a b.png', '/abs.png', 'a//b', 'a/./b', '../a', 'é.png', '', 'a/']) {
    expect(simplePathHash(raw)).toBe(-1);
  }
});
