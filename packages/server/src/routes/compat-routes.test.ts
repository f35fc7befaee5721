import request from 'supertest';
import { expect, test } from 'vitest';
import { createFakeGallery } from '../fake-gallery.ts';
import { testApp } from '../test-server.ts';

const images = [{ path: '/a.jpg' }, { path: '/b/c.png' }];

/** A fake gallery that is watched and counts its rescans. */
function watchedGallery() {
  const fake = createFakeGallery(images);
  const counter = { rescans: 0 };
  const gallery = Object.assign(Object.create(fake) as typeof fake, {
    status: () => ({
      ...fake.status(),
      watch: { mode: 'native' as const, requested: 'native' as const, reason: null },
    }),
    rescan: async () => {
      counter.rescans += 1;
    },
  });
  return { gallery, counter };
}

test('POST /refresh rescans a watched gallery and answers {ok: true}; /health says it can', async () => {
  const { gallery, counter } = watchedGallery();
  const app = testApp({ gallery });
  const health = await request(app.app).get('/health').expect(200);
  expect(health.body.refresh).toEqual({ enabled: true });
  const res = await request(app.app).post('/refresh?path=%2Fb').expect(200);
  expect(res.body).toEqual({ ok: true });
  expect(counter.rescans).toBe(1);
  await request(app.app).post('/refresh').expect(200);
  expect(counter.rescans).toBe(2);
});

test('POST /refresh on an unknown folder is 404; without a watch it says why nothing ran', async () => {
  const { gallery, counter } = watchedGallery();
  const watched = testApp({ gallery });
  const missing = await request(watched.app).post('/refresh?path=%2Fnope').expect(404);
  expect(missing.body).toMatchObject({ error: 'not_found', message: 'no folder /nope' });
  expect(counter.rescans).toBe(0);
  const unwatched = testApp({ gallery: createFakeGallery(images) });
  expect((await request(unwatched.app).get('/health')).body.refresh).toEqual({ enabled: false });
  const res = await request(unwatched.app).post('/refresh').expect(200);
  expect(res.body).toMatchObject({ ok: true, note: expect.stringContaining('--watch off') });
});

test('embeddings: none, in the original shape; a search is 404 embedding_not_found', async () => {
  const app = testApp({ gallery: createFakeGallery(images) });
  const list = await request(app.app).get('/embeddings').expect(200);
  expect(list.body).toEqual({ embeddings: [], rejected: [] });
  const search = await request(app.app)
    .post('/embeddings/search')
    .send({ embedding: 'clip', query: { kind: 'path', path: '/a.jpg' }, top_k: 5 })
    .expect(404);
  expect(search.body).toMatchObject({ error: 'embedding_not_found' });
  expect(search.body.message).toMatch(/embedding/);
});

test('table source columns: not available; switching names the column and is 400', async () => {
  const app = testApp({ gallery: createFakeGallery(images) });
  const columns = await request(app.app).get('/table/source-columns').expect(200);
  expect(columns.body).toEqual({ enabled: false, current: null, columns: [], warning: null });
  const pick = await request(app.app)
    .post('/table/source-column')
    .send({ source_column: 'nope' })
    .expect(400);
  expect(pick.body).toMatchObject({ error: 'invalid_request' });
  expect(pick.body.message).toContain("'nope' not found");
});
