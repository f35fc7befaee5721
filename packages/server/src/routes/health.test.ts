import request from 'supertest';
import { expect, test } from 'vitest';
import { createFakeGallery } from '../fake-gallery.ts';
import { listen, raw, seed, testApp } from '../test-server.ts';

const gallery = () => createFakeGallery([{ path: '/a.jpg' }, { path: '/b/c.png' }], '/srv/photos');

test('reports writing, labels, indexing, watch and presence', async () => {
  const app = testApp({
    gallery: gallery(),
    config: { version: '9.9.9', workspace: '/srv/photos/.lenslet' },
  });
  await seed(app.store, '/a.jpg', { set_star: 3 });
  const res = await request(app.app).get('/health').expect(200);
  expect(res.headers['lenslet-seq']).toBe('1');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body).toMatchObject({
    ok: true,
    version: '9.9.9',
    mode: 'folder',
    can_write: true,
    read_only: false,
    ephemeral: false,
    labels: { enabled: true, durability: 'memory', state: 'memory', seq: 1, labeled_items: 1 },
    indexing: { state: 'ready', items: 2, skipped: { invalid_name: 0 } },
    watch: { mode: 'off' },
    thumbnails: { size: 256, quality: 70 },
  });
  expect(res.body.presence).toBeTypeOf('object');
});

test('absolute paths are shown to local requests only', async () => {
  const app = testApp({ gallery: gallery(), config: { workspace: '/srv/photos/.lenslet' } });
  const local = await request(app.app).get('/health').expect(200);
  // supertest connects over loopback: this is a local request
  expect(local.body.workspace).toBe('/srv/photos/.lenslet');
  expect(local.body.roots).toEqual([{ prefix: '/', dir: '/srv/photos' }]);
  const proxied = await request(app.app)
    .get('/health')
    .set('X-Forwarded-For', '203.0.113.7')
    .expect(200);
  expect(proxied.body.workspace).toBeUndefined();
  expect(proxied.body.roots).toEqual([{ prefix: '/' }]);
  expect(JSON.stringify(proxied.body)).not.toContain('/srv/photos');
});

test('read-only and ephemeral servers say so', async () => {
  const app = testApp({
    gallery: gallery(),
    config: { read_only: true, ephemeral: true, ephemeral_reason: 'started with --no-write' },
  });
  const res = await request(app.app).get('/health').expect(200);
  expect(res.body).toMatchObject({
    can_write: false,
    read_only: true,
    ephemeral: true,
    ephemeral_reason: 'started with --no-write',
  });
});

test('web: placeholder until the client is built, index.html for browser navigations', async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const bare = testApp({ gallery: gallery(), config: { version: '1.2.3' } });
  const placeholder = await request(bare.app).get('/').expect(200);
  expect(placeholder.text).toContain('Lenslet 1.2.3 is running');
  expect(placeholder.text).toContain('npm run build');

  const web = await mkdtemp(join(tmpdir(), 'lenslet-web-'));
  try {
    await writeFile(join(web, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(web, 'app.js'), 'console.log(1)');
    await writeFile(join(web, 'chunk-AB12CD34.js'), 'console.log(2)');
    const app = testApp({ gallery: gallery(), config: { web_dir: web } });
    const server = await listen(app);
    try {
      const index = await raw(`${server.url}/`);
      expect(index.text).toContain('<title>app</title>');
      expect(index.headers['cache-control']).toBe('no-cache');
      const js = await raw(`${server.url}/app.js`);
      expect(js.headers['content-type']).toContain('javascript');
      expect(js.headers['cache-control']).toBe('no-cache');
      const hashed = await raw(`${server.url}/chunk-AB12CD34.js`);
      expect(hashed.headers['cache-control']).toContain('immutable');
      const deep = await raw(`${server.url}/cats/kittens`, { headers: { Accept: 'text/html' } });
      expect(deep.status).toBe(200);
      expect(deep.text).toContain('<title>app</title>');
      const api = await raw(`${server.url}/cats/kittens`, {
        headers: { Accept: 'application/json' },
      });
      expect(api.status).toBe(404);
      const traversal = await raw(`${server.url}/..%2f..%2fetc%2fpasswd`);
      expect(traversal.text).not.toContain('root:');
    } finally {
      await server.close();
    }
  } finally {
    await rm(web, { recursive: true, force: true });
  }
});
