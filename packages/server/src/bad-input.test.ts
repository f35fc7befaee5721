import request from 'supertest';
import { beforeEach, describe, expect, test } from 'vitest';
import { createFakeGallery } from './fake-gallery.ts';
import { testApp } from './test-server.ts';

let app: ReturnType<typeof testApp>['app'];
let fileReads: string[];

beforeEach(() => {
  const gallery = createFakeGallery([{ path: '/a/b.jpg' }, { path: '/top.jpg' }]);
  fileReads = [];
  const resolveFile = gallery.resolveFile.bind(gallery);
  gallery.resolveFile = (path) => {
    fileReads.push(path);
    return resolveFile(path);
  };
  app = testApp({ gallery }).app;
});

const TRAVERSALS = [
  ['dot-dot', '/a/../top.jpg'],
  ['leading dot-dot', '../etc/passwd'],
  ['encoded dot-dot', '%2e%2e/%2e%2e/etc/passwd'],
  ['backslash dot-dot', '..\\..\\windows\\win.ini'],
  ['mixed separators', '/a\\..\\top.jpg'],
  ['single dot', '/a/./b.jpg'],
  ['NUL', '/a/b.jpg%00.png'],
  ['control character', '/a/%07b.jpg'],
  ['lone surrogate', '/a/%ED%A0%80.jpg'],
] as const;

describe.each(['/file', '/thumb', '/item/detail', '/folders', '/search?q=x&', '/tags'])(
  '%s',
  (route) => {
    const url = (raw: string) =>
      route.includes('?') ? `${route}path=${raw}` : `${route}?path=${raw}`;
    test.each(TRAVERSALS)('%s is 400 invalid_path and reads no file', async (_name, rawPath) => {
      const encoded = rawPath.includes('%') ? rawPath : encodeURIComponent(rawPath);
      const res = await request(app).get(url(encoded));
      // A lone surrogate in percent-encoding is not valid UTF-8: it decodes to U+FFFD and then is
      // simply an unknown path; everything else must be rejected as a path.
      if (_name === 'lone surrogate') expect([400, 404]).toContain(res.status);
      else {
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_path');
        expect(res.body.message).toMatch(/path/);
      }
      expect(fileReads).toEqual([]);
    });
  },
);

describe('paths that canonicalise but are not in the gallery', () => {
  test.each([
    ['absolute host path', '/etc/passwd'],
    ['windows drive', 'C:\\Windows\\win.ini'],
    ['UNC', '\\\\server\\share\\x.jpg'],
    ['tilde', '~/x.jpg'],
  ])('%s is 404 and reads no file', async (_name, rawPath) => {
    for (const route of ['/file', '/thumb', '/item/detail']) {
      const res = await request(app).get(`${route}?path=${encodeURIComponent(rawPath)}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('not_found');
    }
    expect(fileReads).toEqual([]);
  });

  test('backslashes are separators for a real image', async () => {
    const res = await request(app)
      .get(`/item/detail?path=${encodeURIComponent('a\\b.jpg')}`)
      .expect(200);
    expect(res.body.path).toBe('/a/b.jpg');
  });
});

describe('query strings', () => {
  test('unknown parameters are named', async () => {
    const res = await request(app).get('/folders?path=/&page=2').expect(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      message:
        'unknown query parameter "page" (this route takes: path, recursive, count_only, offset, limit, fields)',
    });
    await request(app).get('/file?path=/top.jpg&download=1').expect(400);
    await request(app).get('/health?verbose=1').expect(400);
  });

  test('repeated parameters, non-integers and out-of-range numbers are refused', async () => {
    await request(app).get('/folders?path=/a&path=/b').expect(400);
    await request(app).get('/folders?limit=abc').expect(400);
    await request(app).get('/folders?limit=0').expect(400);
    await request(app).get('/folders?limit=10001').expect(400);
    await request(app).get('/folders?offset=-1').expect(400);
    await request(app).get('/folders?recursive=yes').expect(400);
    await request(app).get('/search?q=a&limit=1001').expect(400);
  });

  test('a missing required path is named', async () => {
    const res = await request(app).get('/file').expect(400);
    expect(res.body).toEqual({
      error: 'invalid_path',
      message: 'query parameter "path" is required',
    });
  });
});

describe('bodies', () => {
  test('a body over 1 MiB is 413 payload_too_large', async () => {
    const huge = JSON.stringify({ text_query: 'x'.repeat(1024 * 1024) });
    const res = await request(app)
      .post('/folders/query')
      .set('Content-Type', 'application/json')
      .send(huge)
      .expect(413);
    expect(res.body.error).toBe('payload_too_large');
    const views = JSON.stringify({ views: [{ blob: 'y'.repeat(1024 * 1024) }] });
    await request(app)
      .put('/views')
      .set('Content-Type', 'application/json')
      .send(views)
      .expect(413);
  });

  test('a body just under 1 MiB is parsed (then judged by the schema)', async () => {
    const body = JSON.stringify({ views: [{ blob: 'y'.repeat(1000 * 1000) }] });
    await request(app).put('/views').set('Content-Type', 'application/json').send(body).expect(200);
  });

  test('invalid JSON is 400 invalid_json; other media types are 415', async () => {
    const bad = await request(app)
      .post('/folders/query')
      .set('Content-Type', 'application/json')
      .send('{"path": ')
      .expect(400);
    expect(bad.body.error).toBe('invalid_json');
    const form = await request(app)
      .post('/folders/query')
      .set('Content-Type', 'text/plain')
      .send('path=/')
      .expect(415);
    expect(form.body.error).toBe('unsupported_media_type');
    await request(app)
      .put('/views')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('views=1')
      .expect(415);
  });

  test('a JSON scalar or array body is refused', async () => {
    await request(app)
      .post('/folders/query')
      .set('Content-Type', 'application/json')
      .send('"x"')
      .expect(400);
    const arr = await request(app)
      .post('/folders/query')
      .set('Content-Type', 'application/json')
      .send('[]')
      .expect(400);
    expect(arr.body.error).toBe('invalid_request');
  });
});

test('unknown API routes are JSON 404s', async () => {
  const res = await request(app).get('/nope').set('Accept', 'application/json').expect(404);
  expect(res.body.error).toBe('not_found');
  await request(app).delete('/folders').expect(404);
});
