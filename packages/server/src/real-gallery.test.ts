/**
 * The browse and media routes on the real gallery (scan, headers, sharp thumbnails) over a temp
 * copy of test/fixtures/gallery, on a real port.
 */
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_PATH } from '@lenslet/core';
import { type OpenedGallery, openGallery, openThumbnailer } from '@lenslet/gallery';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Listening, listen, raw, testApp } from './test-server.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'gallery');
let dir: string;
let outside: string;
let gallery: OpenedGallery;
let server: Listening;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-real-'));
  outside = await mkdtemp(join(tmpdir(), 'lenslet-real-outside-'));
  await cp(FIXTURES, dir, { recursive: true });
  await writeFile(join(outside, 'secret.jpg'), await readFile(join(FIXTURES, 'landscape.jpg')));
  await symlink(join(outside, 'secret.jpg'), join(dir, 'escape.jpg'));
  gallery = await openGallery({ roots: [{ prefix: ROOT_PATH, dir }], watch: 'off' });
  const thumbnailer = await openThumbnailer({ size: 64, quality: 60 });
  server = await listen(
    testApp({ gallery, thumbnailer, config: { thumb_size: 64, thumb_quality: 60 } }),
  );
});

afterAll(async () => {
  await server.close();
  await gallery.close();
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

type Listing = {
  total_items: number;
  items: { path: string; name: string; width: number; height: number; thumb_url: string }[];
};

test('lists real images with header dimensions, Unicode names, no skipped or escaping files', async () => {
  const listing = (await raw(`${server.url}/folders?path=/&recursive=true`)).json() as Listing;
  const paths = listing.items.map((i) => i.path);
  expect(paths).toContain('/猫 café 🐱.jpg');
  expect(paths).toContain('/صور/مرحبا.png');
  expect(paths).toContain('/nested/deeper/deep.webp');
  expect(paths).not.toContain('/_draft.jpg');
  expect(paths).not.toContain('/escape.jpg');
  expect(paths.some((p) => p.endsWith('.txt') || p.endsWith('.ts'))).toBe(false);
  const landscape = listing.items.find((i) => i.path === '/landscape.jpg')!;
  expect([landscape.width, landscape.height]).toEqual([64, 40]);
  expect(landscape.thumb_url).toMatch(/&v=\d+-\d+-64-60$/);
});

test('search finds a Unicode name typed in NFD', async () => {
  const res = (
    await raw(`${server.url}/search?q=${encodeURIComponent('cafe\u0301')}`)
  ).json() as Listing;
  expect(res.items.map((i) => i.path)).toEqual(['/猫 café 🐱.jpg']);
});

test('/file serves the exact bytes and honours Range', async () => {
  const bytes = await readFile(join(dir, 'nested', 'inner.png'));
  const whole = await raw(`${server.url}/file?path=/nested/inner.png`);
  expect(whole.body.equals(bytes)).toBe(true);
  expect(whole.headers['content-type']).toBe('image/png');
  const part = await raw(`${server.url}/file?path=/nested/inner.png`, {
    headers: { Range: 'bytes=8-15' },
  });
  expect(part.status).toBe(206);
  expect(part.body.equals(bytes.subarray(8, 16))).toBe(true);
  const unicode = await raw(`${server.url}/file?path=${encodeURIComponent('/صور/مرحبا.png')}`);
  expect(unicode.status).toBe(200);
});

test('/thumb renders WebP at the configured size and answers 304 on revalidation', async () => {
  const listing = (await raw(`${server.url}/folders?path=/`)).json() as Listing;
  const item = listing.items.find((i) => i.path === '/landscape.jpg')!;
  const res = await raw(`${server.url}${item.thumb_url}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('image/webp');
  expect(res.body.subarray(0, 4).toString()).toBe('RIFF');
  expect(res.body.subarray(8, 12).toString()).toBe('WEBP');
  expect(res.headers['cache-control']).toContain('immutable');
  const again = await raw(`${server.url}${item.thumb_url}`, {
    headers: { 'If-None-Match': String(res.headers.etag) },
  });
  expect(again.status).toBe(304);
});

test('a symlink swapped in after indexing is refused at request time', async () => {
  const victim = join(dir, 'lossy.webp');
  await rm(victim);
  await symlink(join(outside, 'secret.jpg'), victim);
  const res = await raw(`${server.url}/file?path=/lossy.webp`);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  const secret = await readFile(join(outside, 'secret.jpg'));
  expect(res.body.includes(secret.subarray(0, 64))).toBe(false);
  expect((res.json() as { error: string }).error).toMatch(/not_found|invalid_path/);
});
