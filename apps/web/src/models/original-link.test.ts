import { expect, test } from 'vitest';
import { fromOriginalLink, savedViewSearch } from './original-link.ts';
import { fromSearch } from './view-state.ts';

const viewOf = (search: string, hash: string) => {
  const link = fromOriginalLink(search, hash);
  if (!link) throw new Error('not an original link');
  return { ...link, view: fromSearch(link.search), item: new URLSearchParams(link.search) };
};

test("Lenslet's own links are left alone", () => {
  expect(fromOriginalLink('?folder=/cats&sort=name&dir=desc', '')).toBeNull();
  expect(fromOriginalLink('', '')).toBeNull();
  expect(fromOriginalLink('?q=cat', '#top')).toBeNull();
  // A metric or derived-score sort of Lenslet's own (metrics panel).
  expect(fromOriginalLink('?sort=metric:aesthetic&dir=asc', '')).toBeNull();
  expect(fromOriginalLink('?sort=metric:%40derived&r.clip=0.2..', '')).toBeNull();
});

test('#/<folder> opens the folder recursively, as the original showed it', () => {
  const { view, viewer } = viewOf('', '#/batch_b');
  expect(view).toMatchObject({ folder: '/batch_b', recursive: true, sort: 'name', dir: 'asc' });
  expect(viewer).toBe(false);
});

test('#!/<image> focuses the image in its folder and asks for the viewer', () => {
  const { view, viewer, item } = viewOf('', '#!/batch_c/img_0002.png');
  expect(view.folder).toBe('/batch_c');
  expect(item.get('item')).toBe('/batch_c/img_0002.png');
  expect(viewer).toBe(true);
});

test('sorts: builtin and metric, with their direction; random keeps the seed', () => {
  expect(viewOf('?sort=builtin:name:desc', '#/a').view).toMatchObject({
    sort: 'name',
    dir: 'desc',
  });
  expect(viewOf('?sort=builtin:added:asc', '#/a').view).toMatchObject({
    sort: 'added',
    dir: 'asc',
  });
  expect(viewOf('?sort=metric:desc:score', '').view).toMatchObject({
    sort: 'metric:score',
    dir: 'desc',
  });
  expect(viewOf('?sort=builtin:random:asc&random_seed=7', '').view).toMatchObject({
    sort: 'random',
    seed: 7,
  });
});

test("the original's filter clauses become Lenslet's filters; unknown ones are dropped", () => {
  const filters = JSON.stringify({
    and: [
      { nameContains: { value: 'img_001' } },
      { notesContains: { value: 'blur' } },
      { starsIn: { values: [0, 5] } },
      { widthCompare: { op: '>=', value: 512 } },
      { heightCompare: { op: '<', value: 100 } },
      { metricRange: { key: 'score', min: 0.5, max: 1 } },
      { categoricalIn: { key: 'split', values: ['a'] } },
    ],
  });
  const { view } = viewOf(`?filters=${encodeURIComponent(filters)}&q=cat`, '#/a');
  expect(view).toMatchObject({
    q: 'cat',
    name: 'img_001',
    notes: 'blur',
    stars: [0, null, 5],
    width: { min: 512 },
    height: { max: 99 },
    ranges: { score: { min: 0.5, max: 1 } },
  });
  const not = JSON.stringify({ and: [{ starsNotIn: { values: [0] } }] });
  expect(viewOf(`?filters=${encodeURIComponent(not)}`, '').view.stars).toEqual([1, 2, 3, 4, 5]);
  expect(viewOf('?filters=%7Bbroken', '#/a').view).toMatchObject({ name: '', stars: [] });
});

test("a smart folder saved by the original's client opens its folder, sort and filters", () => {
  // As recorded (misc.json › PUT /views): five stars, sorted by aesthetic, highest first.
  const search = savedViewSearch(
    { path: '/images' },
    {
      filters: { and: [{ starsIn: { values: [5] } }, { metricRange: { key: 'clip', min: 0.2 } }] },
      sort: { kind: 'metric', key: 'aesthetic', dir: 'desc' },
      selectedMetric: 'aesthetic',
      derivedMetric: null,
    },
  );
  expect(fromSearch(search)).toMatchObject({
    folder: '/images',
    recursive: true,
    stars: [5],
    sort: 'metric:aesthetic',
    dir: 'desc',
    ranges: { clip: { min: 0.2 } },
  });
  const byName = fromSearch(
    savedViewSearch({ path: '/cats' }, { sort: { kind: 'builtin', key: 'name', dir: 'desc' } }),
  );
  expect(byName).toMatchObject({ folder: '/cats', sort: 'name', dir: 'desc' });
});

test("Lenslet's own saved views keep their query; a view of neither shape opens its folder", () => {
  expect(savedViewSearch({ path: '/x' }, { search: '?folder=/x&sort=added' })).toBe(
    '?folder=/x&sort=added',
  );
  expect(fromSearch(savedViewSearch({ path: '/dogs' }, { something: 1 }))).toMatchObject({
    folder: '/dogs',
    sort: 'name',
    dir: 'asc',
  });
});
