import { type FieldInfo, LensletError } from '@lenslet/core';
import { signal } from '@preact/signals';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { Facets, FieldList, QueryBody, QueryPage } from '../api.ts';
import { CHECK_DELAY_MS, createMetricsModel, FACETS_DELAY_MS } from './metrics-model.ts';
import { DEFAULT_VIEW, type ViewState } from './view-state.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const field = (name: string, kind: FieldInfo['kind']): FieldInfo => ({
  name,
  kind,
  origin: 'table',
  present: 10,
  missing: 0,
  min: null,
  max: null,
  distinct: null,
  label_values: 0,
  sortable: true,
  filterable: true,
  searchable: false,
});

const facetsOf = (n: number): Facets => ({
  generation: 1,
  scope_total: 10,
  filtered_total: n,
  histograms: {},
  categories: {},
  derived: null,
});

function setup(kinds: FieldInfo['kind'][] = ['metric']) {
  const calls: { route: string; body: unknown }[] = [];
  const view = signal<ViewState>(DEFAULT_VIEW);
  const shown = signal(true);
  const reports: string[] = [];
  let queryAnswer: (body: QueryBody) => QueryPage | Error = () => new Error('no query');
  const api = {
    async fields(path: string, recursive: boolean): Promise<FieldList> {
      calls.push({ route: 'fields', body: { path, recursive } });
      return {
        generation: 1,
        scope_total: 10,
        fields: kinds.map((k, i) => field(`f${i}`, k)),
      };
    },
    async facets(body: QueryBody): Promise<Facets> {
      calls.push({ route: 'facets', body });
      return facetsOf(calls.length);
    },
    async query(body: QueryBody): Promise<QueryPage> {
      calls.push({ route: 'query', body });
      const a = queryAnswer(body);
      if (a instanceof Error) throw a;
      return a;
    },
  };
  const metrics = createMetricsModel({
    api,
    view,
    shown,
    report: (what, e) => void reports.push(`${what}: ${(e as Error).message}`),
  });
  const routes = () => calls.map((c) => c.route);
  return {
    metrics,
    view,
    shown,
    calls,
    routes,
    reports,
    answerQuery: (fn: typeof queryAnswer) => {
      queryAnswer = fn;
    },
  };
}

test('fields follow the scope, not the filters', async () => {
  const { metrics, view, calls } = setup();
  await vi.advanceTimersByTimeAsync(0);
  expect(metrics.fields.value.map((f) => f.name)).toEqual(['f0']);
  view.value = { ...view.value, ranges: { f0: { min: 1 } } };
  view.value = { ...view.value, folder: '/a' as ViewState['folder'] };
  view.value = { ...view.value, recursive: false };
  await vi.advanceTimersByTimeAsync(0);
  expect(calls.filter((c) => c.route === 'fields').map((c) => c.body)).toEqual([
    { path: '/', recursive: true },
    { path: '/a', recursive: true },
    { path: '/a', recursive: false },
  ]);
  metrics.dispose();
});

test('facets: once the panel shows fields with facets, one request per pause, without sort or paging', async () => {
  const { metrics, view, shown, calls, routes } = setup();
  shown.value = false;
  await vi.advanceTimersByTimeAsync(FACETS_DELAY_MS * 2);
  expect(routes()).toEqual(['fields']);
  shown.value = true;
  for (const min of [1, 2, 3]) {
    view.value = { ...view.value, ranges: { f0: { min } } };
    await vi.advanceTimersByTimeAsync(FACETS_DELAY_MS / 3);
  }
  await vi.advanceTimersByTimeAsync(FACETS_DELAY_MS);
  expect(routes()).toEqual(['fields', 'facets']);
  expect(calls[1]!.body).toEqual({
    path: '/',
    recursive: true,
    filters: { metrics: { f0: { min: 3 } } },
    text_query: '',
  });
  expect(metrics.facets.value?.filtered_total).toBe(2);
  // A change of sort or card field does not change the counts: no request.
  view.value = { ...view.value, sort: 'metric:f0', show: 'f0' };
  await vi.advanceTimersByTimeAsync(FACETS_DELAY_MS * 2);
  expect(routes()).toEqual(['fields', 'facets']);
  // A reloaded table: fields and facets again.
  metrics.refresh();
  await vi.advanceTimersByTimeAsync(FACETS_DELAY_MS * 2);
  expect(routes()).toEqual(['fields', 'facets', 'fields', 'facets']);
  metrics.dispose();
  expect(vi.getTimerCount()).toBe(0);
});

test('live label metrics: a burst refetches the facets once; a new metric the fields too', async () => {
  const { metrics, routes } = setup();
  await vi.advanceTimersByTimeAsync(FACETS_DELAY_MS * 2);
  expect(routes()).toEqual(['fields', 'facets']);
  for (let i = 0; i < 5; i++) metrics.metricsChanged(['f0']);
  await vi.advanceTimersByTimeAsync(FACETS_DELAY_MS * 2);
  expect(routes()).toEqual(['fields', 'facets', 'facets']);
  metrics.metricsChanged(['brand_new']);
  await vi.advanceTimersByTimeAsync(FACETS_DELAY_MS * 2);
  expect(routes()).toEqual(['fields', 'facets', 'facets', 'fields', 'facets']);
  metrics.dispose();
});

test('a scope without metrics or categoricals asks for no facets', async () => {
  const { metrics, routes } = setup(['number', 'text']);
  await vi.advanceTimersByTimeAsync(FACETS_DELAY_MS * 2);
  expect(routes()).toEqual(['fields']);
  metrics.dispose();
});

test('a formula is checked after a pause: the position of a mistake, or how many rows got a score', async () => {
  const { metrics, calls, answerQuery } = setup();
  answerQuery((body) =>
    body.derived?.formula === '0.7*aesthetc'
      ? new LensletError('invalid_query', 'unknown metric "aesthetc" at position 5', {
          details: { status: 400, position: 5, name: 'aesthetc' },
        })
      : {
          seq: 1,
          total: 10,
          filtered_total: 10,
          offset: 0,
          facets: { star: {} },
          items: [],
          derived: {
            key: '@derived',
            formula: body.derived!.formula,
            name: null,
            population_count: 10,
            valid_count: 8,
            invalid_count: 2,
            z_stats: {},
          },
        },
  );
  metrics.checkFormula('0.7*aes');
  metrics.checkFormula('0.7*aesthetc');
  expect(metrics.check.value).toEqual({ formula: '0.7*aesthetc', state: 'checking' });
  await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
  expect(calls.filter((c) => c.route === 'query')).toHaveLength(1);
  expect(metrics.check.value).toEqual({
    formula: '0.7*aesthetc',
    state: 'error',
    message: 'unknown metric "aesthetc" at position 5',
    position: 5,
  });
  const query = calls.find((c) => c.route === 'query')!.body as QueryBody;
  expect(query.limit).toBe(0);
  metrics.checkFormula('0.7*aesthetic');
  await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
  expect(metrics.check.value).toMatchObject({ state: 'ok', derived: { valid_count: 8 } });
  metrics.checkFormula('  ');
  expect(metrics.check.value).toBe(null);
  metrics.dispose();
});

test('a check that fails for another reason is reported, not shown as a mistake', async () => {
  const { metrics, reports, answerQuery } = setup();
  answerQuery(() => new LensletError('internal', 'boom', { details: { status: 500 } }));
  metrics.checkFormula('a+b');
  await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
  expect(metrics.check.value).toBe(null);
  expect(reports).toEqual(['Checking the formula: boom']);
  metrics.checkFormula('a+c');
  metrics.dispose();
  expect(vi.getTimerCount()).toBe(0);
});
