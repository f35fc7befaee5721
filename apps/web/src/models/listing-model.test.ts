import type { CanonicalPath } from '@lenslet/core';
import { expect, test } from 'vitest';
import type { QueryBody, QueryPage } from '../api.ts';
import { toListedItem } from '../api.ts';
import { itemUpdate } from '../test-support.ts';
import { createItemStore } from './items-model.ts';
import { createListing } from './listing-model.ts';

const raw = (i: number, version = 1) => ({
  path: `/i${i}.jpg`,
  name: `i${i}.jpg`,
  star: null,
  tags: [],
  notes: '',
  version,
  metrics: {},
  width: 10,
  height: 10,
  thumb_url: `/thumb?path=/i${i}.jpg`,
});

function setup(total: number) {
  const queries: QueryBody[] = [];
  const gates: (() => void)[] = [];
  let hold = false;
  const api = {
    query: async (body: QueryBody): Promise<QueryPage> => {
      queries.push(body);
      if (hold) await new Promise<void>((r) => gates.push(r));
      const n = Math.max(0, Math.min(body.limit!, total - body.offset!));
      return {
        seq: 5,
        total,
        filtered_total: total,
        offset: body.offset!,
        facets: { star: {} },
        items: Array.from({ length: n }, (_, k) => toListedItem(raw(body.offset! + k))),
      };
    },
  };
  const items = createItemStore();
  const listing = createListing({ api, items, report: () => {}, pageSize: 100 });
  return {
    listing,
    items,
    queries,
    holdOn: () => {
      hold = true;
    },
    release: () => {
      for (const g of gates.splice(0)) g();
    },
  };
}

const base = { path: '/', recursive: false, filters: {}, text_query: '' };

test('only the first page is fetched at load; further pages when asked for', async () => {
  const { listing, queries } = setup(1_000);
  expect(await listing.load(base)).toBe(5);
  expect(listing.length).toBe(1_000);
  expect(listing.at(99)).toBe('/i99.jpg');
  expect(listing.at(100)).toBeUndefined();
  listing.ensure(150, 320);
  await new Promise((r) => setTimeout(r, 0));
  expect(queries.map((q) => q.offset)).toEqual([0, 100, 200, 300]);
  expect(listing.at(320)).toBe('/i320.jpg');
  expect(listing.indexOf('/i320.jpg' as CanonicalPath)).toBe(320);
  listing.ensure(150, 320);
  expect(queries).toHaveLength(4);
});

test('a page of an older view arriving late is discarded', async () => {
  const { listing, holdOn, release } = setup(1_000);
  await listing.load(base);
  holdOn();
  listing.ensure(500, 510);
  const next = listing.load({ ...base, text_query: 'x' });
  release();
  await new Promise((r) => setTimeout(r, 0));
  release();
  await next;
  expect(listing.at(500)).toBeUndefined();
});

test('an update for an item not loaded yet is applied when its (older) page arrives', async () => {
  const { listing, items } = setup(300);
  await listing.load(base);
  expect(
    items.applyUpdate(itemUpdate({ seq: 9, path: '/i250.jpg' as never, version: 2, star: 5 })),
  ).toBe('not_loaded');
  listing.ensure(250, 250);
  await new Promise((r) => setTimeout(r, 0));
  expect(items.get('/i250.jpg' as CanonicalPath)!.labels.value).toMatchObject({
    star: 5,
    version: 2,
  });
});

test('fetched labels never replace newer ones', () => {
  const items = createItemStore();
  items.putListed(toListedItem(raw(1, 3)));
  items.applyUpdate(
    itemUpdate({
      seq: 9,
      path: '/i1.jpg' as never,
      version: 4,
      changes: [{ kind: 'star_set', star: 3, from: null }],
    }),
  );
  items.putListed(toListedItem(raw(1, 3)));
  expect(items.get('/i1.jpg' as CanonicalPath)!.labels.value).toMatchObject({
    star: 3,
    version: 4,
  });
});

test('refresh refetches only the pages in view', async () => {
  const { listing, queries } = setup(1_000);
  await listing.load(base);
  listing.ensure(0, 950);
  await new Promise((r) => setTimeout(r, 0));
  listing.ensure(410, 520);
  queries.length = 0;
  await listing.refresh();
  expect(queries.map((q) => q.offset)).toEqual([400, 500]);
});

test('names that repeat among the loaded items are known, so cards can tell them apart', async () => {
  const paths = ['/a/640x480.jpg', '/b/640x480.jpg', '/b/other.jpg', '/c/x.jpg', '/d/x.jpg'];
  let shown = paths;
  const api = {
    query: async (body: QueryBody): Promise<QueryPage> => ({
      seq: 1,
      total: shown.length,
      filtered_total: shown.length,
      offset: body.offset!,
      facets: { star: {} },
      items: shown.slice(body.offset!, body.offset! + body.limit!).map((p) =>
        toListedItem({
          path: p,
          star: null,
          tags: [],
          notes: '',
          version: 1,
        }),
      ),
    }),
  };
  const listing = createListing({ api, items: createItemStore(), report: () => {}, pageSize: 2 });
  await listing.load(base);
  expect(listing.repeated('640x480.jpg')).toBe(true);
  expect(listing.repeated('other.jpg')).toBe(false);
  // /d/x.jpg is on a page not loaded yet: x.jpg is not known to repeat until it is.
  expect(listing.repeated('x.jpg')).toBe(false);
  await listing.all();
  expect(listing.repeated('x.jpg')).toBe(true);
  // A refetched page that no longer holds the second 640x480.jpg: the name is unique again.
  shown = ['/a/640x480.jpg', '/b/renamed.jpg', ...paths.slice(2)];
  listing.ensure(0, 1);
  await listing.refresh();
  expect(listing.repeated('640x480.jpg')).toBe(false);
  // A new view starts counting afresh.
  shown = ['/only/640x480.jpg'];
  await listing.load(base);
  expect(listing.repeated('x.jpg')).toBe(false);
});
