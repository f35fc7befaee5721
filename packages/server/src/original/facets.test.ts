/** `GET /folders/facets` (the original's query-string form) beside its `POST` form. */
import request from 'supertest';
import { beforeEach, expect, test } from 'vitest';
import { createFakeGallery } from '../fake-gallery.ts';
import { seed, testApp } from '../test-server.ts';

const OWNERSHIP = { 'X-Lenslet-Client-Session': 'facets-test', 'X-Lenslet-Query-Revision': '1' };
const SCORES: Record<string, number> = { '/a.jpg': 0.1, '/b/c.png': 0.5, '/b/d.png': 0.9 };

let app: ReturnType<typeof testApp>;

beforeEach(async () => {
  app = testApp({
    gallery: createFakeGallery([
      { path: '/a.jpg' },
      { path: '/b/c.png' },
      { path: '/b/d.png' },
      { path: '/e.jpg' },
    ]),
  });
  for (const [path, score] of Object.entries(SCORES))
    await seed(app.store, path, { set_metrics: { score } });
});

test('GET answers what POST answers for the same scope and no filter, in the original shape', async () => {
  const get = await request(app.app)
    .get('/folders/facets?path=%2F&recursive=1')
    .set(OWNERSHIP)
    .expect(200);
  const post = await request(app.app)
    .post('/folders/facets')
    .set(OWNERSHIP)
    .send({ path: '/', recursive: true, filters: { and: [] } })
    .expect(200);
  const { generated_at: _, ...got } = get.body;
  const { generated_at: __, ...posted } = post.body;
  expect(got).toEqual(posted);
  expect(get.body.total_items).toBe(4);
  expect(get.body.count_provenance).toMatchObject({ scope_total: 4, query_filtered_total: 4 });
  const histogram = get.body.metrics.score.histogram;
  expect(histogram).toMatchObject({ min: 0.1, max: 0.9, count: Object.keys(SCORES).length });
  expect(histogram.bins.reduce((a: number, b: number) => a + b, 0)).toBe(3);
});

test('the scope of a GET is its path, direct items only unless recursive', async () => {
  const direct = await request(app.app).get('/folders/facets?path=%2Fb').set(OWNERSHIP).expect(200);
  expect(direct.body.total_items).toBe(2);
  expect(direct.body.metrics.score.histogram.count).toBe(2);
  const root = await request(app.app).get('/folders/facets?path=%2F').set(OWNERSHIP).expect(200);
  expect(root.body.total_items).toBe(2);
});

test('without the ownership headers, with an unknown parameter or folder: 4xx naming why', async () => {
  const bare = await request(app.app).get('/folders/facets?path=%2F&recursive=1').expect(400);
  expect(bare.body.message).toMatch(/ownership headers/);
  const unknown = await request(app.app).get('/folders/facets?limit=3').set(OWNERSHIP).expect(400);
  expect(unknown.body.message).toMatch(/unknown query parameter "limit"/);
  await request(app.app).get('/folders/facets?path=%2Fnope').set(OWNERSHIP).expect(404);
  const bool = await request(app.app)
    .get('/folders/facets?recursive=maybe')
    .set(OWNERSHIP)
    .expect(400);
  expect(bool.body.message).toMatch(/recursive/);
});
