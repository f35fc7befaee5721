/**
 * Lenslet's query dialect on the one engine (what `POST /folders/query`, `/search` and
 * `POST /export` run): a fake gallery becomes a catalog view, labels are aligned to its rows,
 * and each body goes through `lensletQuery` and the engine.
 */
import { type CanonicalPath, EMPTY_LABELS, folderQuerySchema, type Labels } from '@lenslet/core';
import { naturalKey } from '@lenslet/table';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import { createGalleryPart } from '../catalog/gallery-part.ts';
import { createFakeGallery, type FakeImage } from '../fake-gallery.ts';
import { starFacet } from '../routes/query.ts';
import { labelRows } from './label-rows.ts';
import { lensletQuery } from './lenslet-query.ts';

function labels(overrides: Partial<Labels>): Labels {
  return { ...EMPTY_LABELS, version: 2, ...overrides };
}

/** A query function over `images` labelled by `byPath`; scopes are recursive unless told. */
function engineOver(images: readonly FakeImage[], byPath: ReadonlyMap<string, Labels>) {
  const view = createCatalog([createGalleryPart(createFakeGallery(images))]).view();
  const rows = labelRows(view, byPath as ReadonlyMap<CanonicalPath, Labels>, 1);
  return (body: object) => {
    const input = folderQuerySchema.parse({ recursive: true, ...body });
    const plan = lensletQuery(input, view, rows);
    const result = view.engine.query(plan.query, plan.ctx);
    const paths = [...result.rows].map((row) => view.engine.table.paths[row]!);
    return { ...result, paths, star: starFacet(result.tally) };
  };
}

const images: FakeImage[] = [
  { path: '/a/cat-1.jpg', width: 4000, height: 3000 },
  { path: '/a/cat-2.jpg', width: 800, height: 600 },
  { path: '/a/Dog.png', width: 1024, height: 1024 },
  { path: '/b/img10.jpg', width: null, height: null, added_at: '2026-01-01T00:03:00.000Z' },
  { path: '/b/img9.jpg', width: 100, height: 100, added_at: '2026-01-01T00:04:00.000Z' },
].map((image, i) => ({
  added_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  ...image,
}));

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
const query = engineOver(images, labelMap);
/** The unfiltered order (path order, code units); filters keep it. */
const ORDER = images.map((i) => i.path).sort();
const inOrder = (...paths: string[]) => ORDER.filter((p) => paths.includes(p));

describe('filters', () => {
  test('no filter answers the scope in path order and counts every image', () => {
    const r = query({});
    expect(r.paths).toEqual(ORDER);
    expect(r.scope_total).toBe(5);
    expect(r.filtered_total).toBe(5);
  });

  test('star filter with null selects unrated images', () => {
    expect(query({ filters: { star: [null] } }).paths).toEqual(
      inOrder('/b/img10.jpg', '/b/img9.jpg'),
    );
    expect(query({ filters: { star: [0, 5] } }).paths).toEqual(
      inOrder('/a/cat-1.jpg', '/a/cat-2.jpg'),
    );
  });

  test('star facets ignore the star filter but honour every other filter', () => {
    const r = query({ filters: { star: [5], tags: { any: ['cat'] } } });
    expect(r.paths).toEqual(['/a/cat-1.jpg']);
    expect(r.star).toEqual({ null: 0, 0: 1, 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 });
    expect(r.filtered_total).toBe(1);
  });

  test('tags any / all / none', () => {
    expect(query({ filters: { tags: { any: ['dog', 'best'] } } }).paths).toEqual(
      inOrder('/a/cat-1.jpg', '/a/Dog.png'),
    );
    expect(query({ filters: { tags: { all: ['cat', 'best'] } } }).paths).toEqual(['/a/cat-1.jpg']);
    expect(query({ filters: { tags: { none: ['cat'] } } }).paths).toEqual(
      inOrder('/a/Dog.png', '/b/img10.jpg', '/b/img9.jpg'),
    );
  });

  test('notes and name match case-insensitively; has_notes splits on presence', () => {
    expect(query({ filters: { notes: 'GOLDEN' } }).paths).toEqual(['/a/cat-1.jpg']);
    expect(query({ filters: { name: 'dog' } }).paths).toEqual(['/a/Dog.png']);
    expect(query({ filters: { name: 'a' } }).paths).toEqual(
      inOrder('/a/cat-1.jpg', '/a/cat-2.jpg'),
    );
    expect(query({ filters: { has_notes: false } }).filtered_total).toBe(3);
  });

  test('width/height ranges exclude images of unknown size', () => {
    expect(query({ filters: { width: { min: 1000 } } }).paths).toEqual(
      inOrder('/a/cat-1.jpg', '/a/Dog.png'),
    );
    expect(query({ filters: { height: { max: 600 } } }).paths).toEqual(
      inOrder('/a/cat-2.jpg', '/b/img9.jpg'),
    );
  });

  test('metric ranges need the metric to be present', () => {
    expect(query({ filters: { metrics: { score: { min: 0.5 } } } }).paths).toEqual([
      '/a/cat-1.jpg',
    ]);
    expect(query({ filters: { metrics: { score: {} } } }).paths).toEqual(
      inOrder('/a/cat-1.jpg', '/a/cat-2.jpg'),
    );
  });

  test('updated_by and updated_since', () => {
    expect(query({ filters: { updated_by: ['ana'] } }).paths).toEqual(
      inOrder('/a/cat-1.jpg', '/a/Dog.png'),
    );
    expect(query({ filters: { updated_since: '2026-02-02T00:00:00Z' } }).paths).toEqual(
      inOrder('/a/cat-2.jpg', '/a/Dog.png'),
    );
  });

  test('text_query needs every term in path, tags or notes', () => {
    expect(query({ text_query: 'cat hour' }).paths).toEqual(['/a/cat-1.jpg']);
    expect(query({ text_query: '"golden hour"' }).paths).toEqual(['/a/cat-1.jpg']);
    expect(query({ text_query: '/b/' }).paths).toEqual(inOrder('/b/img10.jpg', '/b/img9.jpg'));
    expect(query({ text_query: 'nothing-matches' }).filtered_total).toBe(0);
  });
});

describe('sorting', () => {
  test('star desc puts unrated last, ties by path', () => {
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
    expect([...a].sort()).toEqual([...ORDER]);
    const seeds = [1, 2, 3, 4, 5, 6].map((seed) =>
      query({ sort: { by: 'random', seed } }).paths.join(),
    );
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
});

describe('paging', () => {
  const many = Array.from({ length: 500 }, (_, i) => ({
    path: `/p/${String(i).padStart(3, '0')}.jpg`,
  }));
  const byStar = (star: (i: number) => number | null) =>
    engineOver(many, new Map(many.map((image, i) => [image.path, labels({ star: star(i) })])));
  const run = byStar((i) => i % 6);

  test('pages of a sorted scope concatenate to the full order', () => {
    for (const sort of [
      { by: 'random', seed: 3 },
      { by: 'star' },
      { by: 'star', dir: 'asc' },
      { by: 'name', dir: 'desc' },
    ]) {
      const full = run({ sort, limit: 1000 }).paths;
      expect(full).toHaveLength(500);
      const pages = [0, 1, 2, 3, 4].flatMap(
        (p) => run({ sort, offset: p * 100, limit: 100 }).paths,
      );
      expect(pages).toEqual(full);
      expect(run({ sort, offset: 10, limit: 5 }).paths).toEqual(full.slice(10, 15));
      expect(run({ sort, limit: 3 }).paths).toEqual(full.slice(0, 3));
    }
  });

  test('star sort: ties by path, unrated last in both directions', () => {
    const star = (i: number) => (i % 7 === 6 ? null : i % 7);
    const withUnrated = byStar(star);
    const starOf = (path: string) => star(Number(path.slice(3, 6)));
    for (const dir of ['asc', 'desc'] as const) {
      const page = withUnrated({ sort: { by: 'star', dir }, limit: 1000 }).paths;
      const stars = page.map(starOf);
      const rated = stars.filter((s) => s !== null) as number[];
      expect(stars.slice(rated.length).every((s) => s === null)).toBe(true);
      expect(rated).toEqual([...rated].sort((a, b) => (dir === 'asc' ? a - b : b - a)));
      const fives = page.filter((p) => starOf(p) === 5);
      expect(fives).toEqual([...fives].sort());
    }
  });

  test('limit 0 answers only totals; an offset past the end answers no items', () => {
    const r = run({ limit: 0 });
    expect(r.paths).toEqual([]);
    expect(r.filtered_total).toBe(500);
    expect(run({ offset: 600 }).paths).toEqual([]);
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
  /** Images `/m/000.jpg`… (path order = index order) with label metric `m` = values[i]. */
  const overMetric = (values: readonly (number | undefined)[]) => {
    const list = values.map((_, i) => ({ path: `/m/${String(i).padStart(3, '0')}.jpg` }));
    const byPath = new Map<string, Labels>();
    values.forEach((v, i) => {
      if (v !== undefined) byPath.set(list[i]!.path, labels({ metrics: { m: v } }));
    });
    const run = engineOver(list, byPath);
    return (body: object) => run(body).paths.map((p) => Number(p.slice(3, 6)));
  };

  test('metric sorts: every page equals the slice of the full reference order', () => {
    fc.assert(
      fc.property(
        fc.array(metricValue, { maxLength: 400 }),
        fc.constantFrom('asc', 'desc'),
        fc.nat(420),
        fc.integer({ min: 1, max: 60 }),
        (values, dir, offset, limit) => {
          const page = overMetric(values)({ sort: { by: 'metric', key: 'm', dir }, offset, limit });
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

  test('integer keys and a page near the top agree with the full order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }), {
          minLength: 100,
          maxLength: 600,
        }),
        fc.nat(5),
        fc.integer({ min: 1, max: 5 }),
        (values, offset, limit) => {
          const run = overMetric(values);
          const sort = { by: 'metric', key: 'm', dir: 'asc' };
          expect(run({ sort, offset, limit })).toEqual(
            run({ sort, limit: 1000 }).slice(offset, offset + limit),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
