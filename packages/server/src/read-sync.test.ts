import { openMemoryStore } from '@lenslet/store';
import request from 'supertest';
import { expect, test } from 'vitest';
import { createApp } from './app.ts';
import { DEFAULT_CONFIG } from './context.ts';
import { createFakeGallery, createFakeThumbnailer } from './fake-gallery.ts';
import { catchUp, LABEL_READS, reflectsLabels } from './read-sync.ts';
import { seed } from './test-server.ts';

const gallery = () => createFakeGallery([{ path: '/a.jpg' }, { path: '/b/c.jpg' }]);

/** An app whose `sync` plays another replica: the first call lands a write made "elsewhere". */
function replicaApp(sync?: () => Promise<unknown>) {
  const store = openMemoryStore();
  let calls = 0;
  let landed = false;
  const app = createApp({
    store,
    gallery: gallery(),
    thumbnailer: createFakeThumbnailer(),
    config: DEFAULT_CONFIG,
    sync:
      sync ??
      (async () => {
        calls += 1;
        if (!landed) {
          landed = true;
          await seed(store, '/a.jpg', { set_star: 4, add_tags: ['elsewhere'] });
        }
      }),
  });
  return { app, store, calls: () => calls };
}

test('every read that reflects labels waits for the catch-up, so it shows a write acknowledged elsewhere', async () => {
  for (const [method, path] of LABEL_READS) {
    if (path === '/events') continue; // a stream: covered by the replica tests
    const { app, calls } = replicaApp();
    const agent = request(app.app);
    const query = path.startsWith('/item') ? '?path=/a.jpg' : path === '/search' ? '?q=a' : '';
    // The original's form of /folders/facets needs its ownership headers.
    const original =
      path === '/folders/facets' && method === 'GET'
        ? { 'X-Lenslet-Client-Session': 'sync', 'X-Lenslet-Query-Revision': '1' }
        : {};
    const sent =
      method === 'GET'
        ? agent.get(`${path}${query}`).set(original)
        : agent.post(path).send(path === '/folders/query' ? { path: '/' } : {});
    const answer = await sent;
    expect(answer.status, `${method} ${path}`).toBe(200);
    expect(calls(), `${method} ${path} waited for the catch-up`).toBe(1);
    // The answer reflects the record the catch-up brought in (seq 1).
    const seq = answer.headers['lenslet-seq'] ?? JSON.parse(answer.text || '{}').seq;
    if (path !== '/health') expect(Number(seq), `${method} ${path} seq`).toBe(1);
    await app.close();
  }
  const { app } = replicaApp();
  const item = await request(app.app).get('/item?path=/a.jpg').expect(200);
  expect(item.body).toMatchObject({ star: 4, tags: ['elsewhere'], version: 2 });
  await app.close();
});

test('requests that do not reflect labels never wait', async () => {
  const { app, calls } = replicaApp();
  await request(app.app).get('/folders/paths').expect(200);
  await request(app.app).get('/views').expect(200);
  await request(app.app).get('/nothing-here').expect(404);
  expect(calls()).toBe(0);
  expect(reflectsLabels('HEAD', '/item')).toBe(true);
  expect(reflectsLabels('GET', '/thumb')).toBe(false);
  expect(reflectsLabels('PATCH', '/item')).toBe(false);
  await app.close();
});

test('a catch-up that fails still answers, from what this replica holds', async () => {
  const { app, store } = replicaApp(async () => {
    throw new Error('the database is down');
  });
  await seed(store, '/a.jpg', { set_star: 2 });
  const item = await request(app.app).get('/item?path=/a.jpg').expect(200);
  expect(item.body).toMatchObject({ star: 2, seq: 1 });
  const health = await request(app.app).get('/health').expect(200);
  expect(health.body.labels.seq).toBe(1);
  await app.close();
});

test('catchUp gives up waiting after its limit, and as soon as the catch-up settles', async () => {
  let started = performance.now();
  await catchUp(() => new Promise(() => {}), 60);
  expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  started = performance.now();
  await catchUp(() => Promise.reject(new Error('down')), 5_000);
  await catchUp(() => Promise.resolve(7), 5_000);
  expect(performance.now() - started).toBeLessThan(1_000);
});
