import { type CanonicalPath, EMPTY_LABELS, folderQuerySchema, type Labels } from '@lenslet/core';
import type { ImageEntry } from '@lenslet/gallery';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fakeEntry } from './fake-gallery.ts';
import { queryScope as runQuery } from './query.ts';
import { naturalKey, Scope } from './scope.ts';

function labels(overrides: Partial<Labels>): Labels {
  return { ...EMPTY_LABELS, version: 2, ...overrides };
}

const entries: ImageEntry[] = [
  fakeEntry({ path: '/a/cat-1.jpg', width: 4000, height: 3000 }, 0),
  fakeEntry({ path: '/a/cat-2.jpg', width: 800, height: 600 }, 1),
  fakeEntry({ path: '/a/Dog.png', width: 1024, height: 1024 }, 2),
  fakeEntry({ path: '/b/img10.jpg', width: null, height: null }, 3),
  fakeEntry({ path: '/b/img9.jpg', width: 100, height: 100 }, 4),
];

const labelMap = new Map<string, Labels>([
  [
    '/a/cat-1.jpg',
    labels({
      star: 5,
      tags: ['cat', 'best'],
      notes: 'Golden hour',
      metrics: { score: 0.9 },
      updated_by: 'ana',
      updated_at: '2026-02-01T10:00:00.000Z',
    }),
  ],
  [
    '/a/cat-2.jpg',
    labels({
      star: 0,
      tags: ['cat'],
      metrics: { score: 0.2 },
      updated_by: 'bo',
      updated_at: '2026-02-03T10:00:00.000Z',
    }),
  ],
  [
    '/a/Dog.png',
    labels({
      star: 3,
      tags: ['dog'],
      notes: 'blurry',
      updated_by: 'ana',
      updated_at: '2026-02-02T10:00:00.000Z',
    }),
  ],
]);
const labelsOf = (path: CanonicalPath) => labelMap.get(path) ?? EMPTY_LABELS;
const scope = new Scope(entries);
const scopeLabels = entries.map((e) => labelsOf(e.path));

function query(body: unknown) {
  const input = folderQuerySchema.parse(body);
  const result = runQuery(scope, scopeLabels, input);
  return { ...result, paths: result.page.map((i) => entries[i]!.path) };
}

describe('filters', () => {
  test('no filter keeps the scope order and counts every image', () => {
    const r = query({});
    expect(r.paths).toEqual(entries.map((e) => e.path));
    expect(r.total).toBe(5);
    expect(r.filtered_total).toBe(5);
  });

  test('star filter with null selects unrated images', () => {
    expect(query({ filters: { star: [null] } }).paths).toEqual(['/b/img10.jpg', '/b/img9.jpg']);
    expect(query({ filters: { star: [0, 5] } }).paths).toEqual(['/a/cat-1.jpg', '/a/cat-2.jpg']);
  });

  test('star facets ignore the star filter but honour every other filter', () => {
    const r = query({ filters: { star: [5], tags: { any: ['cat'] } } });
    expect(r.paths).toEqual(['/a/cat-1.jpg']);
    expect(r.facets.star).toEqual({ null: 0, 0: 1, 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 });
    expect(r.filtered_total).toBe(1);
  });

  test('tags any / all / none', () => {
    expect(query({ filters: { tags: { any: ['dog', 'best'] } } }).paths).toEqual([
      '/a/cat-1.jpg',
      '/a/Dog.png',
    ]);
    expect(query({ filters: { tags: { all: ['cat', 'best'] } } }).paths).toEqual(['/a/cat-1.jpg']);
    expect(query({ filters: { tags: { none: ['cat'] } } }).paths).toEqual([
      '/a/Dog.png',
      '/b/img10.jpg',
      '/b/img9.jpg',
    ]);
  });

  test('notes and name match case-insensitively; has_notes splits on presence', () => {
    expect(query({ filters: { notes: 'GOLDEN' } }).paths).toEqual(['/a/cat-1.jpg']);
    expect(query({ filters: { name: 'dog' } }).paths).toEqual(['/a/Dog.png']);
    expect(query({ filters: { name: 'a' } }).paths).toEqual(['/a/cat-1.jpg', '/a/cat-2.jpg']);
    expect(query({ filters: { has_notes: false } }).filtered_total).toBe(3);
  });

  test('width/height ranges exclude images of unknown size', () => {
    expect(query({ filters: { width: { min: 1000 } } }).paths).toEqual([
      '/a/cat-1.jpg',
      '/a/Dog.png',
    ]);
    expect(query({ filters: { height: { max: 600 } } }).paths).toEqual([
      '/a/cat-2.jpg',
      '/b/img9.jpg',
    ]);
  });

  test('metric ranges need the metric to be present', () => {
    expect(query({ filters: { metrics: { score: { min: 0.5 } } } }).paths).toEqual([
      '/a/cat-1.jpg',
    ]);
    expect(query({ filters: { metrics: { score: {} } } }).paths).toEqual([
      '/a/cat-1.jpg',
      '/a/cat-2.jpg',
    ]);
  });

  test('updated_by and updated_since', () => {
    expect(query({ filters: { updated_by: ['ana'] } }).paths).toEqual([
      '/a/cat-1.jpg',
      '/a/Dog.png',
    ]);
    expect(query({ filters: { updated_since: '2026-02-02T00:00:00Z' } }).paths).toEqual([
      '/a/cat-2.jpg',
      '/a/Dog.png',
    ]);
  });

  test('text_query needs every term in path, tags or notes', () => {
    expect(query({ text_query: 'cat hour' }).paths).toEqual(['/a/cat-1.jpg']);
    expect(query({ text_query: '"golden hour"' }).paths).toEqual(['/a/cat-1.jpg']);
    expect(query({ text_query: '/b/' }).paths).toEqual(['/b/img10.jpg', '/b/img9.jpg']);
    expect(query({ text_query: 'nothing-matches' }).filtered_total).toBe(0);
  });
});

describe('sorting', () => {
  test('star desc puts unrated last, ties in scope order', () => {
    expect(query({ sort: { by: 'star' } }).paths).toEqual([
      '/a/cat-1.jpg',
      '/a/Dog.png',
      '/a/cat-2.jpg',
      '/b/img10.jpg',
      '/b/img9.jpg',
    ]);
    expect(query({ sort: { by: 'star', dir: 'asc' } }).paths.slice(0, 3)).toEqual([
      '/a/cat-2.jpg',
      '/a/Dog.png',
      '/a/cat-1.jpg',
    ]);
  });

  test('name sort is natural and case-insensitive', () => {
    expect(query({ sort: { by: 'name' } }).paths).toEqual([
      '/a/cat-1.jpg',
      '/a/cat-2.jpg',
      '/a/Dog.png',
      '/b/img9.jpg',
      '/b/img10.jpg',
    ]);
    expect(naturalKey('IMG_0012.jpg') > naturalKey('img_9.jpg')).toBe(true);
  });

  test('added, updated_at and metric sorts', () => {
    expect(query({ sort: { by: 'added' } }).paths[0]).toBe('/b/img9.jpg');
    expect(query({ sort: { by: 'added', dir: 'asc' } }).paths[0]).toBe('/a/cat-1.jpg');
    expect(query({ sort: { by: 'updated_at' } }).paths.slice(0, 3)).toEqual([
      '/a/cat-2.jpg',
      '/a/Dog.png',
      '/a/cat-1.jpg',
    ]);
    expect(query({ sort: { by: 'metric', key: 'score', dir: 'asc' } }).paths.slice(0, 2)).toEqual([
      '/a/cat-2.jpg',
      '/a/cat-1.jpg',
    ]);
  });

  test('random order is a permutation fixed by its seed', () => {
    const a = query({ sort: { by: 'random', seed: 7 } }).paths;
    expect(query({ sort: { by: 'random', seed: 7 } }).paths).toEqual(a);
    expect([...a].sort()).toEqual(entries.map((e) => e.path).sort());
    const seeds = [1, 2, 3, 4, 5, 6].map((seed) =>
      query({ sort: { by: 'random', seed } }).paths.join(),
    );
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
});

describe('paging', () => {
  const many = Array.from({ length: 500 }, (_, i) =>
    fakeEntry({ path: `/p/${String(i).padStart(3, '0')}.jpg` }, i),
  );
  const manyScope = new Scope(many);
  const manyLabels = many.map((_, i) => labels({ star: i % 6 }));
  const run = (body: unknown) =>
    runQuery(manyScope, manyLabels, folderQuerySchema.parse(body)).page.map((i) => many[i]!.path);

  test('pages of a sorted scope (heap and full sort) concatenate to the full order', () => {
    for (const sort of [
      { by: 'random', seed: 3 },
      { by: 'star' },
      { by: 'star', dir: 'asc' },
      { by: 'name', dir: 'desc' },
    ]) {
      const full = run({ sort, limit: 1000 });
      expect(full).toHaveLength(500);
      const pages = [0, 1, 2, 3, 4].flatMap((p) => run({ sort, offset: p * 100, limit: 100 }));
      expect(pages).toEqual(full);
      // small pages near the top come from the heap; they must agree with the full sort
      expect(run({ sort, offset: 10, limit: 5 })).toEqual(full.slice(10, 15));
      expect(run({ sort, limit: 3 })).toEqual(full.slice(0, 3));
    }
  });

  test('star sort: ties keep scope order, unrated last in both directions', () => {
    const withUnrated = many.map((_, i) => labels({ star: i % 7 === 6 ? null : i % 7 }));
    const order = (dir: 'asc' | 'desc') =>
      runQuery(
        manyScope,
        withUnrated,
        folderQuerySchema.parse({ sort: { by: 'star', dir }, limit: 1000 }),
      ).page;
    for (const dir of ['asc', 'desc'] as const) {
      const page = order(dir);
      const stars = page.map((i) => withUnrated[i]!.star);
      const rated = stars.filter((s) => s !== null) as number[];
      expect(stars.slice(rated.length).every((s) => s === null)).toBe(true);
      expect(rated).toEqual([...rated].sort((a, b) => (dir === 'asc' ? a - b : b - a)));
      const fives = page.filter((i) => withUnrated[i]!.star === 5);
      expect(fives).toEqual([...fives].sort((a, b) => a - b));
    }
  });

  test('limit 0 answers only totals; an offset past the end answers no items', () => {
    const input = folderQuerySchema.parse({ limit: 0 });
    const r = runQuery(manyScope, manyLabels, input);
    expect(r.page).toEqual([]);
    expect(r.filtered_total).toBe(500);
    expect(run({ offset: 600 })).toEqual([]);
  });
});

describe('schema', () => {
  test('unknown fields are rejected by name', () => {
    const r = folderQuerySchema.safeParse({ filters: { stras: [5] } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('stras');
  });
  test('min greater than max is rejected', () => {
    expect(folderQuerySchema.safeParse({ filters: { width: { min: 5, max: 1 } } }).success).toBe(
      false,
    );
  });
  test('limit above 1000 is rejected', () => {
    expect(folderQuerySchema.safeParse({ limit: 1001 }).success).toBe(false);
  });
});

describe('ordering matches a reference sort (property)', () => {
  const metricValue = fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: -3, max: 3 }),
    fc.integer({ min: -2_000_000_000_000, max: 2_000_000_000_000 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  );
  test('metric sorts: every page equals the slice of the full reference order', () => {
    fc.assert(
      fc.property(
        fc.array(metricValue, { maxLength: 400 }),
        fc.constantFrom('asc', 'desc'),
        fc.nat(420),
        fc.integer({ min: 1, max: 60 }),
        (values, dir, offset, limit) => {
          const list = values.map((_, i) => fakeEntry({ path: `/m/${i}.jpg` }, i));
          const withMetric = values.map((v) =>
            v === undefined ? EMPTY_LABELS : labels({ metrics: { m: v } }),
          );
          const page = runQuery(
            new Scope(list),
            withMetric,
            folderQuerySchema.parse({ sort: { by: 'metric', key: 'm', dir }, offset, limit }),
          ).page;
          const sign = dir === 'asc' ? 1 : -1;
          const reference = values
            .map((v, i) => ({ v, i }))
            .sort((a, b) => {
              if (a.v === undefined || b.v === undefined)
                return a.v === undefined ? (b.v === undefined ? a.i - b.i : 1) : -1;
              const x = sign * a.v;
              const y = sign * b.v;
              return x < y ? -1 : x > y ? 1 : a.i - b.i;
            })
            .map((r) => r.i);
          expect(page).toEqual(reference.slice(offset, offset + limit));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('integer keys and a page near the top (quickselect path) agree with the full order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }), {
          minLength: 100,
          maxLength: 600,
        }),
        fc.nat(5),
        fc.integer({ min: 1, max: 5 }),
        (values, offset, limit) => {
          const list = values.map((_, i) => fakeEntry({ path: `/q/${i}.jpg` }, i));
          const withMetric = values.map((v) =>
            v === undefined ? EMPTY_LABELS : labels({ metrics: { m: v } }),
          );
          const run = (o: number, l: number) =>
            runQuery(
              new Scope(list),
              withMetric,
              folderQuerySchema.parse({
                sort: { by: 'metric', key: 'm', dir: 'asc' },
                offset: o,
                limit: l,
              }),
            ).page;
          expect(run(offset, limit)).toEqual(run(0, 1000).slice(offset, offset + limit));
        },
      ),
      { numRuns: 200 },
    );
  });
});

test('runQuery over a plain list answers rows (used by exports)', async () => {
  const { runQuery: rows } = await import('./query.ts');
  const result = rows(
    entries,
    labelsOf,
    folderQuerySchema.parse({ filters: { tags: { any: ['cat'] } }, limit: 1000 }),
  );
  expect(result.page.map((r) => [r.entry.path, r.labels.star])).toEqual([
    ['/a/cat-1.jpg', 5],
    ['/a/cat-2.jpg', 0],
  ]);
});
