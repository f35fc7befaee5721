import type { CanonicalPath } from '@lenslet/core';
import sharp from 'sharp';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createDemoGallery } from './demo.ts';
import { openGallery } from './open-gallery.ts';
import { tempDir } from './test-support.ts';

let tmp: { dir: string; cleanup(): Promise<void> };
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

test('the demo gallery is a real gallery: folders, formats, aspect ratios, one transparent PNG', async () => {
  const count = await createDemoGallery(tmp.dir);
  const g = await openGallery({
    roots: [{ prefix: '/' as CanonicalPath, dir: tmp.dir }],
    watch: 'off',
  });
  const items = [...g.items('/' as CanonicalPath, true)];
  expect(items).toHaveLength(count);
  expect(count).toBeGreaterThanOrEqual(40);
  expect(g.folderPaths().length).toBeGreaterThanOrEqual(5);
  expect(new Set(items.map((e) => e.mime))).toEqual(
    new Set(['image/jpeg', 'image/png', 'image/webp']),
  );
  expect(items.some((e) => e.width! > e.height! * 2)).toBe(true);
  expect(items.some((e) => e.height! > e.width!)).toBe(true);
  expect(g.status().indexing.skipped).toMatchObject({ unreadable: 0 });
  let transparent = 0;
  for (const e of items.filter((i) => i.mime === 'image/png')) {
    if ((await sharp(await g.resolveFile(e.path)).metadata()).hasAlpha) transparent++;
  }
  expect(transparent).toBe(1);
  await g.close();
});
