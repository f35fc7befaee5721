import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { createTableEngine, type TableEngine } from './engine.ts';
import { parseFormula } from './formula.ts';
import { METRICS, type NaiveRow, naiveRows, passes } from './naive-model.ts';
import { type Filter, HISTOGRAM_BINS } from './query-types.ts';
import { readTable } from './read-table.ts';
import { ORIGINAL_DIR } from './test-support.ts';

let engine: TableEngine;
beforeAll(async () => {
  engine = createTableEngine(await readTable(join(ORIGINAL_DIR, 'gallery.parquet')));
});

/** The histogram of a metric over `counted` rows, bins over the metric's range in `scope`. */
function naiveHistogram(
  metric: string,
  scope: NaiveRow[],
  counted: NaiveRow[],
  selected: NaiveRow[],
) {
  const values = scope.map((r) => r.metrics[metric]).filter((v): v is number => v !== null);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const width = (max - min) / HISTOGRAM_BINS;
  const binsOf = (rows: NaiveRow[]) => {
    const bins = Array<number>(HISTOGRAM_BINS).fill(0);
    for (const r of rows) {
      const v = r.metrics[metric];
      if (v !== null && v !== undefined)
        bins[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width))]!++;
    }
    return bins;
  };
  const missing = counted.filter((r) => r.metrics[metric] === null);
  return {
    min,
    max,
    bins: binsOf(counted),
    selected: binsOf(selected),
    count: counted.length - missing.length,
    missing: {
      null: missing.filter((r) => !r.nan[metric]).length,
      nan: missing.filter((r) => r.nan[metric]).length,
    },
    total: counted.length,
  };
}

const rangeArb = fc
  .record({
    kind: fc.constant('range' as const),
    field: fc.constantFrom(...METRICS),
    min: fc.double({ min: -5, max: 50, noNaN: true }),
    max: fc.double({ min: 0, max: 100, noNaN: true }),
  })
  .filter((f) => f.min <= f.max);
const categoryArb = fc.record({
  kind: fc.constant('in' as const),
  field: fc.constantFrom('style', 'split', 'keywords'),
  values: fc.subarray(['anime', 'photo', 'sketch', 'train', 'val', 'sky', 'night']),
});

test('each histogram counts rows under every filter except its own field; totals add up', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(rangeArb, categoryArb), { maxLength: 4 }),
      fc.constantFrom('/', '/images/batch_a'),
      (filters: Filter[], folder) => {
        const facets = engine.facets({ filters, scope: { folder, recursive: true } });
        const scope = naiveRows.filter((r) =>
          r.path.startsWith(folder === '/' ? '/' : `${folder}/`),
        );
        const all = scope.filter((r) => filters.every((f) => passes(r, f)));
        expect(facets.filtered_total).toBe(all.length);
        expect(Object.keys(facets.metrics)).toEqual(METRICS);
        for (const metric of METRICS) {
          const others = scope.filter((r) =>
            filters.every((f) => f.field === metric || passes(r, f)),
          );
          const got = facets.metrics[metric]!;
          expect(got).toEqual(naiveHistogram(metric, scope, others, all));
          expect(got.bins.reduce((s, b) => s + b, 0) + got.missing.null + got.missing.nan).toBe(
            got.total,
          );
        }
        for (const field of ['style', 'split', 'keywords']) {
          const others = scope.filter((r) =>
            filters.every((f) => f.field === field || passes(r, f)),
          );
          const got = facets.categoricals[field]!;
          const value = (r: NaiveRow) => (field === 'keywords' ? r.keywords : r.strings[field]);
          for (const { value: v, count, selected } of got.values) {
            const has = (r: NaiveRow) => {
              const x = value(r);
              return Array.isArray(x) ? x.includes(v) : x === v;
            };
            expect(count).toBe(others.filter(has).length);
            expect(selected).toBe(all.filter(has).length);
          }
          expect(got.missing).toBe(others.filter((r) => value(r) === null).length);
          expect(got.total).toBe(others.length);
          if (field !== 'keywords')
            expect(got.values.reduce((s, v) => s + v.count, 0) + got.missing).toBe(got.total);
        }
      },
    ),
    { numRuns: 120 },
  );
});

test('a brushed metric keeps its full histogram; the brush shows as its selected part', () => {
  const brush: Filter = { kind: 'range', field: 'aesthetic', min: 2, max: 4 };
  const facets = engine.facets({ filters: [brush] });
  const unfiltered = engine.facets({});
  expect(facets.metrics.aesthetic!.bins).toEqual(unfiltered.metrics.aesthetic!.bins);
  const selected = facets.metrics.aesthetic!.selected.reduce((s, b) => s + b, 0);
  expect(selected).toBe(facets.filtered_total);
  expect(facets.metrics.clip_score!.total).toBe(facets.filtered_total);
});

test("own_filter 'include' and bin_range 'counted' count only rows passing every filter", () => {
  const filters: Filter[] = [{ kind: 'range', field: 'aesthetic', min: 2, max: 4 }];
  const facets = engine.facets(
    { filters },
    { metrics: ['aesthetic'], own_filter: 'include', bin_range: 'counted' },
  );
  const kept = naiveRows.filter((r) => filters.every((f) => passes(r, f)));
  expect(facets.metrics.aesthetic).toEqual(naiveHistogram('aesthetic', kept, kept, kept));
});

test('a derived score has a histogram; a bin count other than 40 can be asked for', () => {
  const derived = [{ key: 'twice', expr: parseFormula('2 * aesthetic') }];
  const facets = engine.facets(
    { derived },
    { metrics: ['twice', 'aesthetic'], categoricals: [], bins: 10 },
  );
  expect(facets.metrics.twice!.bins).toEqual(facets.metrics.aesthetic!.bins);
  expect(facets.metrics.twice!.bins).toHaveLength(10);
  expect(facets.metrics.twice!.missing).toEqual({ null: 0, nan: 28 });
  expect(() => engine.facets({}, { bins: 0 })).toThrow(/bins must be between 1 and 1000/);
  expect(() => engine.facets({}, { metrics: ['style'] })).toThrow(/not numeric/);
});

test('label metrics count in histograms in place of the table value', () => {
  const first = naiveRows[0]!;
  const labels = {
    version: 'v1',
    items: [[first.path, { aesthetic: 1000 }]] as [string, Record<string, number>][],
  };
  const facets = engine.facets({}, { metrics: ['aesthetic'], categoricals: [] }, { labels });
  const h = facets.metrics.aesthetic!;
  expect(h.max).toBe(1000);
  expect(h.bins.at(-1)).toBe(1);
  expect(h.count).toBe(naiveRows.filter((r) => r.metrics.aesthetic !== null || r === first).length);
});
