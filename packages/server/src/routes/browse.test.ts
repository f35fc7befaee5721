import request from 'supertest';
import { beforeEach, describe, expect, test } from 'vitest';
import { createFakeGallery, type FakeGallery } from '../fake-gallery.ts';
import { seed, testApp } from '../test-server.ts';

let gallery: FakeGallery;
let app: ReturnType<typeof testApp>;

beforeEach(async () => {
  gallery = createFakeGallery([
    { path: '/cats/a.jpg' },
    { path: '/cats/b.jpg' },
    { path: '/cats/kittens/k1.png', width: 200, height: 100 },
    { path: '/dogs/rex.webp' },
    { path: '/top.jpg' },
    { path: '/éclair/crème.jpg' },
  ]);
  app = testApp({ gallery });
  await seed(app.store, '/cats/a.jpg', {
    set_star: 4,
    add_tags: ['fluffy', 'orange'],
    set_notes: 'Sleeping in the Sun',
  });
  await seed(
    app.store,
    '/cats/kittens/k1.png',
    { add_tags: ['fluffy'], set_metrics: { score: 0.5 } },
    'bo',
  );
});

describe('GET /folders', () => {
  test('lists direct items with labels, subfolders with recursive counts, and the log head', async () => {
    const res = await request(app.app).get('/folders?path=/cats').expect(200);
    expect(res.headers['lenslet-seq']).toBe('2');
    expect(res.body).toMatchObject({
      path: '/cats',
      seq: 2,
      total_items: 2,
      offset: 0,
      limit: 2,
    });
    expect(res.body.folders).toEqual([{ name: 'kittens', kind: 'leaf', count: 1 }]);
    expect(res.body.items.map((i: { path: string }) => i.path)).toEqual([
      '/cats/a.jpg',
      '/cats/b.jpg',
    ]);
    const a = res.body.items[0];
    expect(a).toMatchObject({
      name: 'a.jpg',
      mime: 'image/jpeg',
      width: 640,
      height: 480,
      star: 4,
      tags: ['fluffy', 'orange'],
      notes: 'Sleeping in the Sun',
      version: 2,
      updated_by: 'ana',
      metrics: {},
    });
    expect(a.thumb_url).toMatch(/^\/thumb\?path=\/cats\/a\.jpg&v=\d+-\d+-256-70$/);
    expect(Object.keys(a).sort()).toEqual(
      [
        'path',
        'name',
        'mime',
        'width',
        'height',
        'size',
        'added_at',
        'thumb_url',
        'star',
        'tags',
        'notes',
        'version',
        'updated_at',
        'updated_by',
        'metrics',
        'source',
        'original_media',
        'mutable_metric_keys',
      ].sort(),
    );
    expect(a).toMatchObject({
      source: 'cats/a.jpg',
      original_media: { mode: 'local_streaming', source_kind: 'local', proxy_available: true },
      mutable_metric_keys: [],
    });
    expect(res.body.items[1]).toMatchObject({
      star: null,
      tags: [],
      notes: '',
      version: 1,
      updated_at: null,
    });
  });

  test('root folder: branch kinds and counts', async () => {
    const res = await request(app.app).get('/folders').expect(200);
    expect(res.body.folders).toEqual([
      { name: 'cats', kind: 'branch', count: 3 },
      { name: 'dogs', kind: 'leaf', count: 1 },
      { name: 'éclair', kind: 'leaf', count: 1 },
    ]);
    expect(res.body.total_items).toBe(1);
  });

  test('recursive listing pages through everything below', async () => {
    const all = await request(app.app).get('/folders?path=/&recursive=true').expect(200);
    expect(all.body.total_items).toBe(6);
    const page = await request(app.app)
      .get('/folders?path=/&recursive=1&offset=2&limit=2')
      .expect(200);
    expect(page.body.items.map((i: { path: string }) => i.path)).toEqual(
      all.body.items.slice(2, 4).map((i: { path: string }) => i.path),
    );
    expect(page.body).toMatchObject({ offset: 2, limit: 2, total_items: 6 });
  });

  test('count_only answers totals without items', async () => {
    const res = await request(app.app)
      .get('/folders?path=/cats&recursive=true&count_only=true')
      .expect(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.total_items).toBe(3);
  });

  test('paths are canonicalised (NFD, backslashes, trailing slash) and unknown folders are 404', async () => {
    const nfd = '/e\u0301clair/';
    const res = await request(app.app)
      .get(`/folders?path=${encodeURIComponent(nfd)}`)
      .expect(200);
    expect(res.body.path).toBe('/éclair');
    await request(app.app).get('/folders?path=%5Ccats%5Ckittens').expect(200);
    const missing = await request(app.app).get('/folders?path=/nope').expect(404);
    expect(missing.body).toEqual({ error: 'not_found', message: 'no folder /nope' });
    const image = await request(app.app).get('/folders?path=/top.jpg').expect(404);
    expect(image.body.message).toContain('/item/detail');
  });
});

test('GET /folders/paths lists every folder', async () => {
  const res = await request(app.app).get('/folders/paths').expect(200);
  expect(res.body.paths).toEqual(['/', '/cats', '/cats/kittens', '/dogs', '/éclair']);
});

describe('GET /search', () => {
  test('matches name, path, tags and notes case-insensitively', async () => {
    const byNote = await request(app.app).get('/search?q=SUN').expect(200);
    expect(byNote.body.items.map((i: { path: string }) => i.path)).toEqual(['/cats/a.jpg']);
    expect(byNote.body).toMatchObject({ total: 1, seq: 2 });
    expect(byNote.headers['lenslet-seq']).toBe('2');
    const byTag = await request(app.app).get('/search?q=fluffy').expect(200);
    expect(byTag.body.total).toBe(2);
    const byFolder = await request(app.app).get('/search?q=kittens').expect(200);
    expect(byFolder.body.items[0].path).toBe('/cats/kittens/k1.png');
    const scoped = await request(app.app).get('/search?q=fluffy&path=/cats/kittens').expect(200);
    expect(scoped.body.total).toBe(1);
  });
  test('NFD query finds NFC names', async () => {
    const res = await request(app.app)
      .get(`/search?q=${encodeURIComponent('cre\u0300me')}`)
      .expect(200);
    expect(res.body.items.map((i: { path: string }) => i.path)).toEqual(['/éclair/crème.jpg']);
  });
  test('an empty query is an error', async () => {
    const res = await request(app.app).get('/search?q=%20').expect(400);
    expect(res.body.error).toBe('invalid_request');
  });
});

test('GET /tags counts tags under a folder, most used first', async () => {
  const res = await request(app.app).get('/tags?path=/cats').expect(200);
  expect(res.body).toEqual({
    path: '/cats',
    seq: 2,
    tags: [
      { tag: 'fluffy', count: 2 },
      { tag: 'orange', count: 1 },
    ],
  });
  const dogs = await request(app.app).get('/tags?path=/dogs').expect(200);
  expect(dogs.body.tags).toEqual([]);
  const prefix = await request(app.app).get('/tags?q=OR').expect(200);
  expect(prefix.body.tags).toEqual([{ tag: 'orange', count: 1 }]);
});

describe('POST /folders/query', () => {
  test('filters, sorts and counts facets over a recursive scope', async () => {
    const res = await request(app.app)
      .post('/folders/query')
      .send({
        path: '/cats',
        recursive: true,
        filters: { tags: { any: ['fluffy'] } },
        sort: { by: 'star' },
      })
      .expect(200);
    expect(res.headers['lenslet-seq']).toBe('2');
    expect(res.body).toMatchObject({
      path: '/cats',
      seq: 2,
      total: 3,
      filtered_total: 2,
      offset: 0,
      limit: 100,
    });
    expect(res.body.items.map((i: { path: string }) => i.path)).toEqual([
      '/cats/a.jpg',
      '/cats/kittens/k1.png',
    ]);
    expect(res.body.facets.star).toEqual({ null: 1, 0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 });
  });

  test('an empty body queries the root folder', async () => {
    const res = await request(app.app)
      .post('/folders/query')
      .set('Content-Type', 'application/json')
      .send('')
      .expect(200);
    expect(res.body.total).toBe(1);
  });

  test('unknown fields are named in the error', async () => {
    const res = await request(app.app)
      .post('/folders/query')
      .send({ filters: { stars: [5] } })
      .expect(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      message: 'unknown field "filters.stars"',
    });
    const top = await request(app.app).post('/folders/query').send({ page: 2 }).expect(400);
    expect(top.body.message).toBe('unknown field "page"');
    const sort = await request(app.app)
      .post('/folders/query')
      .send({ sort: { by: 'size' } })
      .expect(400);
    expect(sort.body.message).toContain('sort.by');
  });

  test('a bad path is invalid_path; a missing folder 404', async () => {
    expect(
      (await request(app.app).post('/folders/query').send({ path: '/../etc' }).expect(400)).body
        .error,
    ).toBe('invalid_path');
    await request(app.app).post('/folders/query').send({ path: '/nope' }).expect(404);
  });
});

test('GET /item/detail answers one item with file details and labels', async () => {
  const res = await request(app.app).get('/item/detail?path=/cats/kittens/k1.png').expect(200);
  expect(res.headers['lenslet-seq']).toBe('2');
  expect(res.body).toMatchObject({
    path: '/cats/kittens/k1.png',
    folder: '/cats/kittens',
    width: 200,
    height: 100,
    tags: ['fluffy'],
    metrics: { score: 0.5 },
    updated_by: 'bo',
    file_url: '/file?path=/cats/kittens/k1.png',
    seq: 2,
  });
  expect(res.body.modified_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  await request(app.app).get('/item/detail?path=/cats/none.jpg').expect(404);
});

test('labels written later are reflected with a higher seq', async () => {
  await seed(app.store, '/dogs/rex.webp', { set_star: 2 });
  const res = await request(app.app).get('/folders?path=/dogs').expect(200);
  expect(res.headers['lenslet-seq']).toBe('3');
  expect(res.body.items[0].star).toBe(2);
});

test('scopes follow the gallery: an image added and announced by folder-updated is queryable', async () => {
  const before = await request(app.app)
    .post('/folders/query')
    .send({ path: '/', recursive: true })
    .expect(200);
  expect(before.body.total).toBe(6);
  gallery.put({ path: '/dogs/new.jpg' });
  gallery.emit({ path: '/dogs' as never, added: 1, removed: 0, changed: 0 });
  const after = await request(app.app)
    .post('/folders/query')
    .send({ path: '/', recursive: true })
    .expect(200);
  expect(after.body.total).toBe(7);
  expect(after.body.items.map((i: { path: string }) => i.path)).toContain('/dogs/new.jpg');
  const page = await request(app.app)
    .get('/folders?path=/&recursive=true&offset=0&limit=100')
    .expect(200);
  expect(page.body.items.map((i: { path: string }) => i.path)).toContain('/dogs/new.jpg');
  const search = await request(app.app).get('/search?q=new.jpg').expect(200);
  expect(search.body.total).toBe(1);
});

test('a changed file (same path) gets a new thumb_url after its folder update', async () => {
  const first = await request(app.app).post('/folders/query').send({ path: '/dogs' }).expect(200);
  gallery.put({ path: '/dogs/rex.webp', size: 99_999, mtime_ms: Date.UTC(2027, 0, 1) });
  gallery.emit({ path: '/dogs' as never, added: 0, removed: 0, changed: 1 });
  const second = await request(app.app).post('/folders/query').send({ path: '/dogs' }).expect(200);
  expect(second.body.items[0].thumb_url).not.toBe(first.body.items[0].thumb_url);
  expect(second.body.items[0].size).toBe(99_999);
});

test('POST /folders/query reports its own duration in Server-Timing', async () => {
  const res = await request(app.app).post('/folders/query').send({}).expect(200);
  expect(res.headers['server-timing']).toMatch(/^query;dur=\d+\.\d, cpu;dur=\d+\.\d$/);
});
