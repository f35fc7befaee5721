import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createFakeGallery, createFakeThumbnailer } from '../fake-gallery.ts';
import { thumbVersion } from '../item-view.ts';
import { type Listening, listen, raw, testApp } from '../test-server.ts';

let dir: string;
let outside: string;
let server: Listening;
let thumbs: ReturnType<typeof createFakeThumbnailer>;
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-media-'));
  outside = await mkdtemp(join(tmpdir(), 'lenslet-outside-'));
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'sub', 'ünï.jpg'), bytes);
  await writeFile(join(outside, 'secret.jpg'), 'top secret');
  await symlink(join(outside, 'secret.jpg'), join(dir, 'link.jpg'));
  await utimes(
    join(dir, 'sub', 'ünï.jpg'),
    new Date('2026-01-02T03:04:05Z'),
    new Date('2026-01-02T03:04:05Z'),
  );
  const gallery = createFakeGallery(
    [
      { path: '/sub/ünï.jpg', size: 1000, mtime_ms: Date.parse('2026-01-02T03:04:05Z') },
      { path: '/link.jpg' },
      { path: '/gone.png' },
    ],
    dir,
  );
  thumbs = createFakeThumbnailer();
  server = await listen(testApp({ gallery, thumbnailer: thumbs }));
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const file = () => `${server.url}/file?path=${encodeURIComponent('/sub/ünï.jpg')}`;

describe('GET /file', () => {
  test('streams the bytes with type, length, validators and a Unicode filename', async () => {
    const res = await raw(file());
    expect(res.status).toBe(200);
    expect(res.body.equals(bytes)).toBe(true);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-length']).toBe('1000');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(res.headers['last-modified']).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%C3%BCn%C3%AF.jpg");
  });

  test('If-None-Match and If-Modified-Since answer 304 without a body', async () => {
    const first = await raw(file());
    const etag = String(first.headers.etag);
    const byTag = await raw(file(), { headers: { 'If-None-Match': `W/${etag}, "other"` } });
    expect(byTag.status).toBe(304);
    expect(byTag.body.length).toBe(0);
    const byDate = await raw(file(), {
      headers: { 'If-Modified-Since': 'Fri, 02 Jan 2026 03:04:05 GMT' },
    });
    expect(byDate.status).toBe(304);
    const older = await raw(file(), {
      headers: { 'If-Modified-Since': 'Thu, 01 Jan 2026 00:00:00 GMT' },
    });
    expect(older.status).toBe(200);
    const changed = await raw(file(), { headers: { 'If-None-Match': '"nope"' } });
    expect(changed.status).toBe(200);
  });

  test('a single Range answers 206 with exactly those bytes', async () => {
    const mid = await raw(file(), { headers: { Range: 'bytes=10-19' } });
    expect(mid.status).toBe(206);
    expect(mid.headers['content-range']).toBe('bytes 10-19/1000');
    expect(mid.body.equals(bytes.subarray(10, 20))).toBe(true);
    const suffix = await raw(file(), { headers: { Range: 'bytes=-5' } });
    expect(suffix.body.equals(bytes.subarray(995))).toBe(true);
    const open = await raw(file(), { headers: { Range: 'bytes=990-' } });
    expect(open.headers['content-range']).toBe('bytes 990-999/1000');
    const clipped = await raw(file(), { headers: { Range: 'bytes=998-5000' } });
    expect(clipped.body.length).toBe(2);
  });

  test('an unsatisfiable Range is 416; several ranges get the whole file', async () => {
    const past = await raw(file(), { headers: { Range: 'bytes=1000-' } });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */1000');
    expect(past.json()).toMatchObject({ error: 'range_not_satisfiable' });
    const multi = await raw(file(), { headers: { Range: 'bytes=0-1,5-6' } });
    expect(multi.status).toBe(200);
    expect(multi.body.length).toBe(1000);
  });

  test('If-Range with a stale validator ignores the Range', async () => {
    const res = await raw(file(), { headers: { Range: 'bytes=0-9', 'If-Range': '"stale"' } });
    expect(res.status).toBe(200);
    const etag = String((await raw(file())).headers.etag);
    expect((await raw(file(), { headers: { Range: 'bytes=0-9', 'If-Range': etag } })).status).toBe(
      206,
    );
  });

  test('HEAD answers headers only', async () => {
    const res = await raw(file(), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.body.length).toBe(0);
  });

  test('a symlink leaving the root and a vanished file are 404, never read', async () => {
    const link = await raw(`${server.url}/file?path=/link.jpg`);
    expect(link.status).toBe(404);
    expect(link.text).not.toContain('top secret');
    expect((await raw(`${server.url}/file?path=/gone.png`)).status).toBe(404);
    expect((await raw(`${server.url}/file?path=/never-indexed.jpg`)).status).toBe(404);
  });
});

describe('GET /thumb', () => {
  const version = (size = 1000) =>
    thumbVersion(
      {
        path: '/sub/ünï.jpg' as never,
        name: '',
        mime: '',
        width: 1,
        height: 1,
        size,
        mtime_ms: Date.parse('2026-01-02T03:04:05Z'),
        added_at: '',
      },
      { thumb_size: 256, thumb_quality: 70 },
    );
  const thumb = (v?: string) =>
    `${server.url}/thumb?path=${encodeURIComponent('/sub/ünï.jpg')}${v ? `&v=${v}` : ''}`;

  test('the versioned URL is immutable; ETag revalidation answers 304 without rendering', async () => {
    const res = await raw(thumb(version()));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text).toBe('FAKEWEBP:/sub/ünï.jpg');
    expect(thumbs.renders).toBe(1);
    const again = await raw(thumb(version()), {
      headers: { 'If-None-Match': String(res.headers.etag) },
    });
    expect(again.status).toBe(304);
    expect(thumbs.renders).toBe(1);
  });

  test('a stale or missing v must revalidate', async () => {
    expect((await raw(thumb('1-2-256-70'))).headers['cache-control']).toBe('public, no-cache');
    expect((await raw(thumb())).headers['cache-control']).toBe('public, no-cache');
  });

  test('thumb_url in listings matches what /thumb serves as immutable', async () => {
    const listing = (await raw(`${server.url}/folders?path=/sub`)).json() as {
      items: { thumb_url: string }[];
    };
    const res = await raw(`${server.url}${listing.items[0]!.thumb_url}`);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  test('unknown images are 404', async () => {
    expect((await raw(`${server.url}/thumb?path=/nope.jpg`)).status).toBe(404);
  });
});
