import { expect, test } from 'vitest';
import {
  activeFilterCount,
  cardField,
  DEFAULT_VIEW,
  fromSearch,
  toQueryBody,
  toSearch,
  type ViewState,
} from './view-state.ts';

test('the default view has an empty query string', () => {
  expect(toSearch(DEFAULT_VIEW)).toBe('');
  expect(fromSearch('')).toEqual(DEFAULT_VIEW);
});

test('a view survives the URL round trip', () => {
  const view: ViewState = {
    ...DEFAULT_VIEW,
    folder: '/cats/tabby' as ViewState['folder'],
    recursive: false,
    q: 'sunset beach',
    stars: [null, 4, 5],
    tagsAny: ['a', 'b'],
    tagsNone: ['blurry'],
    notes: 'fix',
    width: { min: 800 },
    ranges: { score: { min: 0.5 }, '@derived': { max: 2 } },
    values: { style: { in: ['anime'], not_in: ['photo, old'] } },
    has: { nsfw: 'missing' },
    formula: '0.7*aesthetic + z(`clip score`)',
    show: 'aesthetic',
    by: ['ana'],
    since: '2026-01-01',
    sort: 'random',
    dir: 'desc',
    seed: 42,
  };
  const search = toSearch(view, '/cats/tabby/x.jpg');
  expect(search).toContain('folder=/cats/tabby');
  expect(fromSearch(search)).toEqual(view);
  expect(new URLSearchParams(search).get('item')).toBe('/cats/tabby/x.jpg');
});

test('folders open with their subfolders; the URL can turn that off (old links still work)', () => {
  const rows: [string, boolean, string][] = [
    ['', true, ''],
    ['?recursive=1', true, ''],
    ['?recursive=0', false, '?recursive=0'],
    ['?folder=/a&recursive=0', false, '?folder=/a&recursive=0'],
  ];
  for (const [search, recursive, written] of rows) {
    const view = fromSearch(search);
    expect(view.recursive, search).toBe(recursive);
    expect(toSearch(view), search).toBe(written);
  }
});

test('bad values fall back to defaults instead of failing', () => {
  const v = fromSearch('?folder=/a/../b&stars=9,x,3&sort=nope&minw=abc');
  expect(v.folder).toBe('/');
  expect(v.stars).toEqual([3]);
  expect(v.sort).toBe('name');
  expect(v.width).toEqual({});
});

test('the query body carries filters and sort in the server words', () => {
  const body = toQueryBody(
    { ...fromSearch('?stars=none,5&all=x&sort=metric:score&mmin=1&metric=score&q=hi'), seed: 1 },
    500,
    100,
  );
  expect(body).toEqual({
    path: '/',
    recursive: true,
    offset: 500,
    limit: 100,
    filters: { star: [null, 5], tags: { all: ['x'] }, metrics: { score: { min: 1 } } },
    sort: { by: 'metric', key: 'score', dir: 'desc' },
    text_query: 'hi',
    // Cards show the value the view is sorted by.
    fields: ['score'],
  });
});

test('brushes, chips, missing toggles, the derived score and the card field in the query body', () => {
  const view = fromSearch(
    '?r.aesthetic=5..&r.@derived=..2&in.style=anime&ex.style=photo&miss=nsfw&has=clip' +
      '&score=0.7*aesthetic%2Bz(clip)&sort=metric:@derived&dir=asc&show=aesthetic',
  );
  expect(toQueryBody(view, 0, 50)).toEqual({
    path: '/',
    recursive: true,
    offset: 0,
    limit: 50,
    filters: {
      metrics: { aesthetic: { min: 5 }, '@derived': { max: 2 } },
      values: { style: { in: ['anime'], not_in: ['photo'] } },
      missing: ['nsfw'],
      present: ['clip'],
    },
    sort: { by: 'metric', key: '@derived', dir: 'asc' },
    text_query: '',
    derived: { formula: '0.7*aesthetic+z(clip)' },
    fields: ['aesthetic'],
  });
  expect(activeFilterCount(view)).toBe(5);
});

test('the field cards show: the chosen one, else the sort field; the derived score needs a formula', () => {
  const rows: [Partial<ViewState>, string][] = [
    [{}, ''],
    [{ sort: 'metric:clip' }, 'clip'],
    [{ sort: 'metric:clip', show: 'aesthetic' }, 'aesthetic'],
    [{ sort: 'metric:@derived' }, ''],
    [{ sort: 'metric:@derived', formula: 'a+b' }, '@derived'],
    [{ sort: 'row' }, ''],
  ];
  for (const [v, want] of rows)
    expect(cardField({ ...DEFAULT_VIEW, ...v }), JSON.stringify(v)).toBe(want);
});
