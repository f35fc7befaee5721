import { originalQuerySchema } from '@lenslet/core';
import { expect, test } from 'vitest';
import { analysisQueryKey, dependencyManifest, requestToken } from './analysis.ts';

const body = (over: object) => originalQuerySchema.parse({ path: '/', recursive: true, ...over });

test('the manifest names what the answer depends on', () => {
  const query = body({
    filters: {
      and: [
        { starsIn: { values: [5] } },
        { metricRange: { key: 'aesthetic', min: 1, max: 2 } },
        { categoricalIn: { key: 'split', values: ['test'] } },
        { widthCompare: { op: '>', value: 10 } },
      ],
    },
    sort: { kind: 'metric', key: '@derived/combo', dir: 'desc' },
    derived_metric: {
      id: 'combo',
      numericTerms: [{ key: 'clip_score', weight: 1 }],
      categoricalTerms: [{ key: 'style', value: 'anime', weight: 1 }],
    },
  });
  expect(dependencyManifest(query, { metric_keys: ['faces'] })).toEqual({
    fields: ['star', 'width'],
    metric_keys: ['@derived/combo', 'aesthetic', 'clip_score', 'faces'],
    categorical_keys: ['split', 'style'],
    unknown: false,
  });
  expect(dependencyManifest(body({ text_query: 'cat' })).fields).toEqual([
    'added_at',
    'name',
    'notes',
    'path',
    'source',
    'tags',
    'url',
  ]);
  expect(dependencyManifest(body({ unsupported_metric_intent: 'x' })).unknown).toBe(true);
});

test('the analysis key ignores the page; the request token does not', () => {
  const first = body({ offset: 0, limit: 10 });
  const second = body({ offset: 10, limit: 10, projection: { metric_keys: ['aesthetic'] } });
  expect(analysisQueryKey(first)).toBe(analysisQueryKey(second));
  expect(analysisQueryKey(first)).toMatch(/^aq_[0-9a-f]{24}$/);
  expect(requestToken(first)).not.toBe(requestToken(second));
  expect(analysisQueryKey(body({ text_query: 'cat' }))).not.toBe(analysisQueryKey(first));
});
