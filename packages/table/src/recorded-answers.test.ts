/**
 * The engine against the original Lenslet's recorded answers (query.json, facets.json) wherever
 * the semantics are the same. The original's dialect is translated here by hand; the server
 * will do it at its edge. Known differences, not tested here: ties in a metric sort break by
 * path (the original: by name, then path), free-text columns are searched (the original does
 * not), and an unknown derived input is an error (the original answers status "unavailable").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createTableEngine, type TableEngine } from './engine.ts';
import {
  type OriginalDerivedMetric,
  originalDerivedKey,
  originalDerivedToExpr,
} from './original-derived.ts';
import type { Filter, SortSpec, TableQuery } from './query-types.ts';
import { readTable } from './read-table.ts';
import { rowOf } from './table.ts';
import { ORIGINAL_DIR } from './test-support.ts';

// biome-ignore lint/suspicious/noExplicitAny: recorded JSON of another program, read field by field
type Json = any;

type Pair = {
  title: string;
  mode: string;
  request: { method: string; body?: Record<string, Json> };
  response: { status: number; body: Record<string, Json> };
};
const load = (name: string) =>
  (JSON.parse(readFileSync(join(ORIGINAL_DIR, name), 'utf8')) as { pairs: Pair[] }).pairs.filter(
    (p) => p.mode === 'table' && p.response.status === 200,
  );
const queries = load('query.json');
const facetPairs = load('facets.json');

let engine: TableEngine;
beforeAll(async () => {
  engine = createTableEngine(await readTable(join(ORIGINAL_DIR, 'gallery.parquet')));
});

function translate(body: Record<string, Json>): TableQuery {
  const filters: Filter[] = (body.filters?.and ?? []).map((clause: Record<string, Json>) => {
    if (clause.metricRange)
      return {
        kind: 'range',
        field: clause.metricRange.key,
        min: clause.metricRange.min,
        max: clause.metricRange.max,
      };
    if (clause.categoricalIn)
      return { kind: 'in', field: clause.categoricalIn.key, values: clause.categoricalIn.values };
    throw new Error(`clause not translated here: ${JSON.stringify(clause)}`);
  });
  const s = body.sort;
  const sort: SortSpec | undefined =
    s?.kind === 'metric'
      ? { key: s.key, dir: s.dir }
      : s?.key === 'name'
        ? { key: '@name', dir: s.dir }
        : undefined;
  const dm = body.derived_metric as OriginalDerivedMetric | null;
  return {
    scope: { folder: body.path ?? '/', recursive: body.recursive ?? false },
    filters,
    sort,
    offset: body.offset,
    limit: body.limit,
    anchor: body.anchor_path ?? null,
    derived: dm ? [{ key: originalDerivedKey(dm.id), expr: originalDerivedToExpr(dm) }] : [],
  };
}

const translatable = queries.filter(
  (p) =>
    !p.request.body?.text_query &&
    !p.request.body?.derived_metric?.numericTerms?.some(
      (t: { key: string }) => t.key === 'no_such_metric',
    ) &&
    (p.request.body?.filters?.and ?? []).every(
      (c: object) => 'metricRange' in c || 'categoricalIn' in c,
    ),
);

describe('POST /folders/query', () => {
  test('the recordings cover the engine features', () => {
    expect(translatable.length).toBeGreaterThanOrEqual(25);
  });

  test.each(translatable.map((p) => [p.title, p] as const))('%s: same totals', (_title, pair) => {
    const result = engine.query(translate(pair.request.body ?? {}));
    expect(result.scope_total).toBe(pair.response.body.scope_total);
    expect(result.filtered_total).toBe(pair.response.body.filtered_total);
    expect(result.offset).toBe(pair.response.body.offset);
  });

  const ordered = translatable.filter((p) => {
    const s = p.request.body?.sort;
    const lastPage = (p.request.body?.offset ?? 0) > 0 && s?.kind === 'metric';
    return (s?.kind === 'metric' || s?.key === 'name') && !lastPage;
  });
  test.each(ordered.map((p) => [p.title, p] as const))(
    '%s: same items in the same order',
    (_title, pair) => {
      const result = engine.query(translate(pair.request.body!));
      const want = pair.response.body.items.map((i: { path: string }) => i.path);
      expect([...result.rows].map((r) => engine.table.paths[r])).toEqual(want);
      const items = pair.response.body.items as {
        path: string;
        metrics: Record<string, number> | null;
      }[];
      items.forEach((item, i) => {
        for (const [key, value] of Object.entries(item.metrics ?? {})) {
          if (key.startsWith('@derived/'))
            expect(result.derived_values[key]![i]).toBeCloseTo(value, 12);
          else expect(engine.row(result.rows[i]!).metrics[key]).toBe(value);
        }
      });
    },
  );

  test('the last page of a metric sort holds rows without a value, in both directions', () => {
    const last = translatable.filter((p) => p.title.includes('last page'));
    expect(last).toHaveLength(2);
    for (const pair of last) {
      const body = pair.request.body!;
      for (const item of pair.response.body.items as { path: string }[]) {
        expect(engine.row(rowOf(engine.table, item.path)!).metrics[body.sort.key]).toBeNull();
      }
      const ours = engine.query(translate(body));
      for (const row of ours.rows) expect(engine.row(row).metrics[body.sort.key]).toBeNull();
    }
  });

  test('derived metric status: population, valid and invalid counts, z statistics', () => {
    const pair = translatable.find((p) => p.title.startsWith('derived metric: sort'))!;
    const status = engine.query(translate(pair.request.body!)).derived[0]!;
    const want = pair.response.body.derived_metric_status;
    expect(status.key).toBe(want.key);
    expect([status.population_count, status.valid_count, status.invalid_count]).toEqual([
      want.score_population_count,
      want.valid_count,
      want.invalid_count,
    ]);
    expect(status.z_stats.aesthetic!.count).toBe(want.z_stats.aesthetic.count);
    expect(status.z_stats.aesthetic!.mean).toBeCloseTo(want.z_stats.aesthetic.mean, 12);
    expect(status.z_stats.aesthetic!.std).toBeCloseTo(want.z_stats.aesthetic.std, 12);
  });
});

describe('/folders/facets', () => {
  test.each(facetPairs.map((p) => [p.title, p] as const))(
    '%s: same histograms and counts',
    (_title, pair) => {
      const body = pair.request.body ?? { path: '/', recursive: true };
      const fields = body.facet_fields;
      const facets = engine.facets(translate(body), {
        metrics: fields?.metric_keys ?? pair.response.body.metric_keys,
        categoricals: fields?.categorical_keys ?? pair.response.body.categorical_keys,
        own_filter: 'include',
        bin_range: 'counted',
      });
      expect(facets.filtered_total).toBe(pair.response.body.total_items);
      for (const [key, { histogram }] of Object.entries(
        pair.response.body.metrics as Record<string, Json>,
      )) {
        const got = facets.metrics[key]!;
        expect(got.bins).toEqual(histogram.bins);
        expect(got.count).toBe(histogram.count);
        expect(got.min).toBeCloseTo(histogram.min, 12);
        expect(got.max).toBeCloseTo(histogram.max, 12);
      }
      for (const [key, { values }] of Object.entries(
        pair.response.body.categoricals as Record<string, Json>,
      )) {
        expect(facets.categoricals[key]!.values.map((v) => [v.value, v.count])).toEqual(
          values.map((v: { value: string; population_count: number }) => [
            v.value,
            v.population_count,
          ]),
        );
      }
    },
  );
});
