import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { dimensionCacheFile } from './dimension-cache.ts';
import { decodeDimensions, encodeDimensions } from './dimension-cache-codec.ts';
import { openGallery } from './open-gallery.ts';
import { png, tempDir, writePng } from './test-support.ts';

const P = (s: string) => s as CanonicalPath;
let tmp: { dir: string; cleanup(): Promise<void> };
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

const record = (path: string, width: number | null, prompt: string | null = null) => ({
  path: P(path),
  size: 100,
  mtime_ms: 1_700_000_000_123.5,
  mime: 'image/webp',
  width,
  height: width === null ? null : 7,
  prompt,
});

test('the codec round-trips records grouped by folder', () => {
  const roots = [['/', '/data'] as const];
  const records = [
    record('/a.png', 5),
    record('/x/é 🐱.png', null, 'a cat, 🐱, «golden hour»'),
    record('/x/y/z.png', 9),
  ];
  const decoded = decodeDimensions(encodeDimensions(roots, records), roots);
  expect(decoded?.get(P('/x/é 🐱.png'))).toEqual({
    size: 100,
    mtime_ms: 1_700_000_000_123.5,
    mime: 'image/webp',
    width: null,
    height: null,
    prompt: 'a cat, 🐱, «golden hour»',
  });
  expect(decoded?.get(P('/x/y/z.png'))).toMatchObject({ width: 9, prompt: null });
  expect([...(decoded?.keys() ?? [])]).toEqual(['/a.png', '/x/é 🐱.png', '/x/y/z.png']);
});

test('a truncated or foreign file decodes to null; a moved root drops its records', () => {
  const roots = [['/cats', '/data/cats'] as const, ['/dogs', '/data/dogs'] as const];
  const buf = encodeDimensions(roots, [record('/cats/a.png', 1), record('/dogs/b.png', 2)]);
  expect(decodeDimensions(buf.subarray(0, buf.length - 3), roots)).toBeNull();
  expect(decodeDimensions(Buffer.from('hello'), roots)).toBeNull();
  const moved = decodeDimensions(buf, [
    ['/cats', '/data/cats'],
    ['/dogs', '/elsewhere'],
  ]);
  expect([...(moved?.keys() ?? [])]).toEqual(['/cats/a.png']);
});

test('a warm start takes dimensions from the cache when path, size and mtime match', async () => {
  const cacheDir = join(tmp.dir, '.lenslet');
  const file = await writePng(tmp.dir, 'img/a.png', 20, 10);
  await writePng(tmp.dir, 'img/b.png', 8, 8);
  const mtime = 1_700_000_000;
  await utimes(file, mtime, mtime);
  const first = await openGallery({
    roots: [{ prefix: P('/'), dir: tmp.dir }],
    watch: 'off',
    cache_dir: cacheDir,
  });
  await first.close();
  expect((await stat(dimensionCacheFile(cacheDir))).size).toBeGreaterThan(0);

  // Same size and mtime, different pixels: only a cache hit can still report 20×10.
  const other = await png(10, 20);
  const data = await readFile(file);
  expect(other.length).toBe(data.length);
  await writeFile(file, other);
  await utimes(file, mtime, mtime);
  const warm = await openGallery({
    roots: [{ prefix: P('/'), dir: tmp.dir }],
    watch: 'off',
    cache_dir: cacheDir,
  });
  expect(warm.get(P('/img/a.png'))).toMatchObject({ width: 20, height: 10 });
  await warm.close();

  // A changed mtime invalidates the record: the header is read again.
  await utimes(file, mtime, mtime + 2);
  const cold = await openGallery({
    roots: [{ prefix: P('/'), dir: tmp.dir }],
    watch: 'off',
    cache_dir: cacheDir,
  });
  expect(cold.get(P('/img/a.png'))).toMatchObject({ width: 10, height: 20 });
  await cold.close();
});

test('a damaged cache file means a cold start, not an error', async () => {
  const cacheDir = join(tmp.dir, '.lenslet');
  await writePng(tmp.dir, 'a.png', 3, 4);
  await (
    await openGallery({
      roots: [{ prefix: P('/'), dir: tmp.dir }],
      watch: 'off',
      cache_dir: cacheDir,
    })
  ).close();
  await writeFile(dimensionCacheFile(cacheDir), 'LLDIMS2\n garbage');
  const g = await openGallery({
    roots: [{ prefix: P('/'), dir: tmp.dir }],
    watch: 'off',
    cache_dir: cacheDir,
  });
  expect(g.get(P('/a.png'))).toMatchObject({ width: 3, height: 4 });
  await g.close();
});
