import { expect, test } from 'vitest';
import { savedViewSearch } from './original-link.ts';
import { originalViewOf } from './original-view.ts';
import { DEFAULT_VIEW, fromSearch, type ViewState } from './view-state.ts';

const view = (over: Partial<ViewState>): ViewState => ({ ...DEFAULT_VIEW, ...over });

test("a view in the original's words: its clauses and its sort", () => {
  const original = originalViewOf(
    view({
      stars: [5, 4],
      name: '.jpg',
      width: { min: 30 },
      ranges: { aesthetic: { min: 2.5, max: 7 }, clip: { min: 0.2 }, '@derived': { min: 1 } },
      values: { style: { in: ['anime'] }, split: { not_in: ['val'] } },
      sort: 'metric:aesthetic',
      dir: 'desc',
    }),
  );
  expect(original).toEqual({
    filters: {
      and: [
        { starsIn: { values: [4, 5] } },
        { nameContains: { value: '.jpg' } },
        { widthCompare: { op: '>=', value: 30 } },
        { metricRange: { key: 'aesthetic', min: 2.5, max: 7 } },
        { metricRange: { key: 'clip', min: 0.2 } },
        { categoricalIn: { key: 'style', values: ['anime'] } },
      ],
    },
    sort: { kind: 'metric', key: 'aesthetic', dir: 'desc' },
    selectedMetric: 'aesthetic',
    derivedMetric: null,
  });
});

test('unrated is the original’s 0; sorts it does not know are left out', () => {
  expect(originalViewOf(view({ stars: [null, 0] })).filters.and).toEqual([
    { starsIn: { values: [0] } },
  ]);
  expect(originalViewOf(view({ sort: 'star' })).sort).toBeUndefined();
  expect(originalViewOf(view({ sort: 'metric:@derived' })).sort).toBeUndefined();
  expect(originalViewOf(view({ sort: 'random', dir: 'asc' })).sort).toEqual({
    kind: 'builtin',
    key: 'random',
    dir: 'asc',
  });
});

test('what it writes reads back as the same view through the original’s translation', () => {
  const saved = view({
    folder: '/cats' as ViewState['folder'],
    stars: [5],
    ranges: { aesthetic: { min: 3, max: 8 } },
    sort: 'name',
    dir: 'desc',
  });
  // Without Lenslet's own `search`, as the original's client would leave it.
  const back = fromSearch(savedViewSearch({ path: '/cats' }, originalViewOf(saved)));
  expect(back).toMatchObject({
    folder: '/cats',
    stars: [5],
    ranges: { aesthetic: { min: 3, max: 8 } },
    sort: 'name',
    dir: 'desc',
  });
});
