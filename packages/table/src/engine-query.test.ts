import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { createTableEngine, type TableEngine } from './engine.ts';
import { parseFormula } from './formula.ts';
import { METRICS, naiveRows, naiveSort, passes, textHit } from './naive-model.ts';
import type { Filter, LabelMetrics } from './query-types.ts';
import { readTable } from './read-table.ts';
import { createTable } from './table.ts';
import { ORIGINAL_DIR } from './test-support.ts';

let engine: TableEngine;
beforeAll(async () => {
  engine = createTableEngine(await readTable(join(ORIGINAL_DIR, 'gallery.parquet')));
});

const paths = (rows: Uint32Array) => [...rows].map((r) => engine.table.paths[r]);

const filterArb: fc.Arbitrary<Filter> = fc.oneof(
  fc
    .record({
      kind: fc.constant('range' as const),
      field: fc.constantFrom(...METRICS),
      min: fc.option(fc.double({ min: -6, max: 60, noNaN: true }), { nil: null }),
      max: fc.option(fc.double({ min: 0, max: 110, noNaN: true }), { nil: null }),
    })
    .filter((f) => f.min === null || f.max === null || f.min <= f.max),
  fc.record({
    kind: fc.constantFrom('in' as const, 'not_in' as const),
    field: fc.constantFrom('style', 'split', 'keywords'),
    values: fc.subarray(['anime', 'photo', 'train', 'test', 'sky', 'city', 'none']),
  }),
  fc.record({
    kind: fc.constantFrom('missing' as const, 'present' as const),
    field: fc.constantFrom(...METRICS, 'style', 'keywords'),
  }),
);

test('any combination of filters, text, sort and window equals a direct computation', () => {
  fc.assert(
    fc.property(
      fc.array(filterArb, { maxLength: 4 }),
      fc.constantFrom(null, 'zephyrine', 'batch_b', 'IMG_01', 'winter'),
      fc.constantFrom('@row', '@path', ...METRICS, 'style', 'caption'),
      fc.boolean(),
      fc.nat(320),
      fc.integer({ min: 1, max: 60 }),
      (filters, text, key, descending, offset, limit) => {
        const result = engine.query({
          filters,
          text,
          sort: { key, dir: descending ? 'desc' : 'asc' },
          offset,
          limit,
        });
        const kept = naiveRows.filter(
          (r) => filters.every((f) => passes(r, f)) && (text === null || textHit(r, text)),
        );
        const ordered = naiveSort(kept, key, descending);
        expect(result.scope_total).toBe(300);
        expect(result.filtered_total).toBe(kept.length);
        expect(paths(result.rows)).toEqual(
          ordered.slice(offset, offset + limit).map((r) => r.path),
        );
      },
    ),
    { numRuns: 250 },
  );
});

test('text search covers captions: the rare word finds every 37th row from row 5', () => {
  const result = engine.query({ text: 'ZEPHYRINE', limit: 1000 });
  const want = naiveRows.filter((r) => r.row >= 5 && (r.row - 5) % 37 === 0).map((r) => r.path);
  expect(paths(result.rows)).toEqual(want);
  expect(want.length).toBeGreaterThan(5);
});

test('a scope is a folder: its direct items, or its subtree', () => {
  const direct = engine.query({
    scope: { folder: '/images/batch_b', recursive: false },
    limit: 1000,
  });
  expect(direct.scope_total).toBe(100);
  expect(paths(direct.rows).every((p) => p!.startsWith('/images/batch_b/'))).toBe(true);
  expect(engine.query({ scope: { folder: '/images', recursive: false } }).scope_total).toBe(0);
  expect(engine.query({ scope: { folder: '/images', recursive: true } }).scope_total).toBe(300);
  expect(engine.query({ scope: { folder: '/images/batch', recursive: true } }).scope_total).toBe(0);
  expect(engine.folders()).toEqual([
    '/',
    '/images',
    '/images/batch_a',
    '/images/batch_b',
    '/images/batch_c',
  ]);
});

test('paging past the end, an anchor placed mid-window, and a stable random order', () => {
  expect(engine.query({ offset: 5000, limit: 2 })).toMatchObject({
    filtered_total: 300,
    offset: 5000,
    rows: new Uint32Array(),
  });
  const anchored = engine.query({
    sort: { key: '@path' },
    limit: 5,
    anchor: '/images/batch_a/img_0030.png',
  });
  const order = naiveSort(naiveRows, '@path', false).map((r) => r.path);
  const at = order.indexOf('/images/batch_a/img_0030.png');
  expect(anchored.offset).toBe(at - 2);
  expect(paths(anchored.rows)).toEqual(order.slice(at - 2, at + 3));
  const a = engine.query({ sort: { key: '@random', seed: 7 }, limit: 300 });
  const b = engine.query({ sort: { key: '@random', seed: 7 }, limit: 300 });
  const c = engine.query({ sort: { key: '@random', seed: 'other' }, limit: 300 });
  expect(paths(a.rows)).toEqual(paths(b.rows));
  expect(paths(a.rows)).not.toEqual(paths(c.rows));
  expect(new Set(paths(c.rows)).size).toBe(300);
});

test('label metrics override the table value for that item and add metrics of their own', () => {
  const first = naiveRows[0]!.path;
  const labels: LabelMetrics = {
    version: 1,
    items: [
      [first, { aesthetic: 99, liked: 1 }],
      ['/not/in/table.png', { aesthetic: 5 }],
    ],
  };
  const top = engine.query({ sort: { key: 'aesthetic', dir: 'desc' }, limit: 1 }, { labels });
  expect(paths(top.rows)).toEqual([first]);
  expect(engine.fields(labels).label_metrics).toEqual(['liked']);
  expect(engine.row(0, labels).metrics).toMatchObject({ aesthetic: 99, liked: 1 });
  const liked = engine.query({ filters: [{ kind: 'range', field: 'liked', min: 1 }] }, { labels });
  expect(liked.filtered_total).toBe(1);
  const next: LabelMetrics = { version: 2, items: [] };
  expect(
    paths(
      engine.query({ sort: { key: 'aesthetic', dir: 'desc' }, limit: 1 }, { labels: next }).rows,
    ),
  ).not.toEqual([first]);
  expect(engine.row(0, next).metrics.aesthetic).toBe(naiveRows[0]!.metrics.aesthetic);
});

test('caller predicates (star, tags, notes…) combine with table filters; text can match labels', () => {
  const starred = new Set([3, 10, 200]);
  const result = engine.query(
    { filters: [{ kind: 'in', field: 'split', values: ['train'] }], limit: 1000 },
    { filters: [{ field: 'star', test: (row) => starred.has(row) }] },
  );
  const want = naiveRows
    .filter((r) => starred.has(r.row) && r.strings.split === 'train')
    .map((r) => r.path);
  expect(paths(result.rows)).toEqual(want);
  const noted = engine.query(
    { text: 'first look' },
    { text: (row, needle) => row === 42 && 'a first look note'.includes(needle) },
  );
  expect(paths(noted.rows)).toEqual([naiveRows[42]!.path]);
});

test('a derived formula sorts and filters, z over the filtered population', () => {
  const expr = parseFormula(
    "0.7*aesthetic + 0.3*z(clip_score) - 2*nsfw_score + (style == 'anime')",
  );
  const derived = [{ key: 'score', expr }];
  const result = engine.query({ derived, sort: { key: 'score', dir: 'desc' }, limit: 300 }).rows;
  const clip = naiveRows.map((r) => r.metrics.clip_score).filter((v): v is number => v !== null);
  const mean = clip.reduce((s, v) => s + v, 0) / clip.length;
  const std = Math.sqrt(clip.reduce((s, v) => s + (v - mean) ** 2, 0) / clip.length);
  const score = (r: (typeof naiveRows)[number]) => {
    const aesthetic = r.metrics.aesthetic ?? null;
    const clip_score = r.metrics.clip_score ?? null;
    const nsfw_score = r.metrics.nsfw_score ?? null;
    if (aesthetic === null || clip_score === null || nsfw_score === null) return null;
    return (
      0.7 * aesthetic +
      (0.3 * (clip_score - mean)) / std -
      2 * nsfw_score +
      (r.strings.style === 'anime' ? 1 : 0)
    );
  };
  const scored = naiveRows.map((r) => ({ r, s: score(r) }));
  const want = [...scored].sort((a, b) =>
    a.s === null || b.s === null
      ? (a.s === null ? 1 : 0) - (b.s === null ? 1 : 0) || (a.r.path < b.r.path ? -1 : 1)
      : b.s - a.s,
  );
  expect(paths(result)).toEqual(want.map((x) => x.r.path));
  const ranged = engine.query({
    derived,
    filters: [{ kind: 'range', field: 'score', min: 2, max: 5 }],
  });
  expect(ranged.filtered_total).toBe(
    scored.filter((x) => x.s !== null && x.s >= 2 && x.s <= 5).length,
  );
  expect(ranged.derived[0]).toMatchObject({ key: 'score', population_count: 300 });
});

test('bad queries are invalid_query naming the field', () => {
  const bad = (q: Parameters<TableEngine['query']>[0]) => {
    try {
      engine.query(q);
    } catch (e) {
      return e;
    }
    return null;
  };
  expect(bad({ filters: [{ kind: 'range', field: 'nope', min: 1 }] })).toMatchObject({
    code: 'invalid_query',
    details: { name: 'nope' },
  });
  expect(bad({ filters: [{ kind: 'range', field: 'style', min: 1 }] })).toMatchObject({
    code: 'invalid_query',
  });
  expect(bad({ filters: [{ kind: 'in', field: 'aesthetic', values: ['1'] }] })).toMatchObject({
    code: 'invalid_query',
  });
  expect(bad({ filters: [{ kind: 'range', field: 'aesthetic', min: 5, max: 1 }] })).toMatchObject({
    code: 'invalid_query',
  });
  expect(bad({ sort: { key: 'keywords' } })).toMatchObject({
    code: 'invalid_query',
    details: { name: 'keywords' },
  });
  const formula = bad({ derived: [{ key: 's', expr: parseFormula('aesthetic + 2*aesthetc') }] });
  expect(formula).toMatchObject({
    code: 'invalid_query',
    details: { position: 15, name: 'aesthetc' },
  });
  expect((formula as Error).message).toBe('unknown metric "aesthetc" at position 15');
});

test('the field list groups columns by role and one row lists every field', () => {
  const fields = engine.fields();
  expect(fields.metrics).toEqual(METRICS);
  expect([fields.categoricals, fields.multi, fields.text, fields.numbers]).toEqual([
    ['style', 'split'],
    ['keywords'],
    ['caption'],
    [],
  ]);
  const row = engine.row(5);
  const want = naiveRows[5]!;
  expect(row).toMatchObject({ row: 5, file_row: 5, path: want.path, source: want.path.slice(1) });
  expect(row.metrics).toEqual(want.metrics);
  expect(row.categoricals).toEqual({ style: want.strings.style, split: want.strings.split });
  expect(row.text).toEqual({ caption: want.strings.caption });
  expect(row.multi).toEqual({ keywords: want.keywords });
});

test('the name sort is natural and case-blind; equal names (across folders) go by path', () => {
  const paths = ['b/x.jpg', 'a/y.jpg', 'a/x.jpg', 'c/img10.jpg', 'c/img9.jpg', 'a/X.jpg'];
  const table = createTable(
    {
      row_count: paths.length,
      columns: [{ kind: 'text', name: 'path', values: paths, missing_count: 0 }],
      unsupported: [],
    },
    { file: 'names.csv', format: 'csv' },
  );
  const names = (dir: 'asc' | 'desc') =>
    [...createTableEngine(table).query({ sort: { key: '@name', dir } }).rows].map(
      (r) => table.paths[r],
    );
  expect(names('asc')).toEqual([
    '/c/img9.jpg',
    '/c/img10.jpg',
    '/a/X.jpg',
    '/a/x.jpg',
    '/b/x.jpg',
    '/a/y.jpg',
  ]);
  expect(names('desc')).toEqual([
    '/a/y.jpg',
    '/a/X.jpg',
    '/a/x.jpg',
    '/b/x.jpg',
    '/c/img10.jpg',
    '/c/img9.jpg',
  ]);
});
