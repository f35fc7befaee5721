import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import sharp from 'sharp';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { ImageEntry, Thumbnailer } from './gallery.ts';
import { openGallery } from './open-gallery.ts';
import { FIXTURES, tempDir } from './test-support.ts';
import { openThumbnailer } from './thumbnails.ts';

const P = (s: string) => s as CanonicalPath;
let tmp: { dir: string; cleanup(): Promise<void> };
const open: Thumbnailer[] = [];
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
  await tmp.cleanup();
});

async function thumbnailer(options: Parameters<typeof openThumbnailer>[0] = {}) {
  const t = await openThumbnailer(options);
  open.push(t);
  return t;
}

function entryFor(file: string, size = 1000, name = file): ImageEntry {
  return {
    path: P(`/${name}`),
    name,
    mime: 'image/jpeg',
    width: null,
    height: null,
    size,
    mtime_ms: 1,
    added_at: '',
  };
}

async function fixture(name: string) {
  const g = await openGallery({ roots: [{ prefix: P('/'), dir: FIXTURES }], watch: 'off' });
  const entry = g.get(P(`/${name}`))!;
  const file = await g.resolveFile(entry.path);
  await g.close();
  return { entry, file };
}

test('EXIF orientation 6 is applied: a 48×32 stored JPEG becomes a portrait thumbnail', async () => {
  const t = await thumbnailer({ size: 16 });
  const { entry, file } = await fixture('portrait-exif6.jpg');
  const out = await t.thumbnail(entry, file);
  const meta = await sharp(out).metadata();
  expect(meta.format).toBe('webp');
  expect([meta.width, meta.height]).toEqual([16, 24]);
  // The stored top half is red; after a 90° clockwise turn it is the right half.
  const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
  const px = (x: number, y: number) => data[(y * info.width + x) * info.channels]!;
  expect(px(info.width - 2, 12)).toBeGreaterThan(150);
  expect(px(1, 12)).toBeLessThan(100);
});

test('transparency is kept: a PNG with alpha gives a WebP with an alpha channel', async () => {
  const t = await thumbnailer({ size: 20 });
  const { entry, file } = await fixture('transparent.png');
  const out = await t.thumbnail(entry, file);
  const meta = await sharp(out).metadata();
  expect(meta.hasAlpha).toBe(true);
  const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(4);
  expect(data[3]).toBeLessThan(10); // the corner is transparent
});

test('short edge = size, never upscaled; quality changes the output', async () => {
  const big = join(tmp.dir, 'big.jpg');
  await sharp({
    create: {
      width: 900,
      height: 600,
      channels: 3,
      background: '#888',
      noise: { type: 'gaussian', mean: 120, sigma: 40 },
    },
  })
    .jpeg()
    .toFile(big);
  const low = await thumbnailer({ size: 256, quality: 20 });
  const high = await thumbnailer({ size: 256, quality: 90 });
  const a = await low.thumbnail(entryFor(big), big);
  const b = await high.thumbnail(entryFor(big), big);
  expect(await sharp(a).metadata()).toMatchObject({ width: 384, height: 256 });
  expect(b.length).toBeGreaterThan(a.length);
  const { entry, file } = await fixture('landscape.jpg');
  expect(await sharp(await low.thumbnail(entry, file)).metadata()).toMatchObject({
    width: 64,
    height: 40,
  });
});

test('an animated GIF gives a still thumbnail of its first frame', async () => {
  const t = await thumbnailer({ size: 16 });
  const { entry, file } = await fixture('animated.gif');
  const out = await t.thumbnail(entry, file);
  const meta = await sharp(out).metadata();
  expect(meta.pages ?? 1).toBe(1);
  const { data } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
  expect(data[0]).toBeGreaterThan(200); // frame 1 is red (frame 2 blue)
});

test('a corrupt image is an unsupported_image error with a clear message', async () => {
  const t = await thumbnailer();
  const { entry, file } = await fixture('corrupt.jpg');
  await expect(t.thumbnail(entry, file)).rejects.toMatchObject({
    code: 'unsupported_image',
    message: expect.stringMatching(
      /^cannot make a thumbnail of \/corrupt\.jpg: the file is damaged/,
    ),
  });
  await expect(t.thumbnail(entryFor('/nope.jpg'), '/nope.jpg')).rejects.toMatchObject({
    code: 'not_found',
  });
});

test('concurrent requests for one thumbnail share one render; memory cache answers repeats', async () => {
  const t = await thumbnailer({ size: 16 });
  const { entry, file } = await fixture('landscape.jpg');
  const results = await Promise.all(Array.from({ length: 6 }, () => t.thumbnail(entry, file)));
  expect(new Set(results).size).toBe(1);
  expect(t.stats()).toMatchObject({ rendered: 1, memory_entries: 1, disk_cache: false });
  await t.thumbnail(entry, file);
  expect(t.stats().rendered).toBe(1);
  // A new mtime is a new key.
  await t.thumbnail({ ...entry, mtime_ms: entry.mtime_ms + 1 }, file);
  expect(t.stats().rendered).toBe(2);
});

test('the disk cache serves a restarted thumbnailer without rendering', async () => {
  const { entry, file } = await fixture('lossy.webp');
  const first = await thumbnailer({ size: 16, cache_dir: tmp.dir });
  const a = await first.thumbnail(entry, file);
  await first.close();
  const shards = await readdir(join(tmp.dir, 'thumbs'));
  expect(shards.some((s) => /^[0-9a-f]{2}$/.test(s))).toBe(true);
  const second = await thumbnailer({ size: 16, cache_dir: tmp.dir });
  expect(await second.thumbnail(entry, file)).toEqual(a);
  expect(second.stats()).toMatchObject({ rendered: 0, disk_cache: true });
});

test('the memory cache stays within its byte budget', async () => {
  const t = await thumbnailer({ size: 16, memory_bytes: 600 });
  for (const name of ['landscape.jpg', 'lossy.webp', 'transparent.png', 'UPPER.JPG', 'tiny.avif']) {
    const { entry, file } = await fixture(name);
    await t.thumbnail(entry, file);
  }
  expect(t.stats().memory_bytes).toBeLessThanOrEqual(600);
  expect(t.stats().memory_entries).toBeLessThan(5);
});

test('a queued request whose caller gave up is dropped before rendering', async () => {
  const t = await thumbnailer({ size: 16, concurrency: 1 });
  const { entry, file } = await fixture('landscape.jpg');
  const other = await fixture('lossy.webp');
  const first = t.thumbnail(entry, file);
  const controller = new AbortController();
  const second = t.thumbnail(other.entry, other.file, { signal: controller.signal });
  // Still queued behind the first render (concurrency 1): no render can finish synchronously.
  expect(t.stats().queued).toBe(1);
  controller.abort(new Error('client went away'));
  await expect(second).rejects.toThrow('client went away');
  await first;
  await new Promise((r) => setTimeout(r, 50));
  expect(t.stats()).toMatchObject({ rendered: 1, queued: 0 });
});

test('bad settings are refused', async () => {
  await expect(openThumbnailer({ size: 0 })).rejects.toMatchObject({ code: 'usage' });
  await expect(openThumbnailer({ quality: 101 })).rejects.toMatchObject({ code: 'usage' });
});
