import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openGallery } from './open-gallery.ts';
import { tempDir, writePng } from './test-support.ts';

const P = (s: string) => s as CanonicalPath;
let tmp: { dir: string; cleanup(): Promise<void> };
let outside: { dir: string; cleanup(): Promise<void> };
beforeEach(async () => {
  tmp = await tempDir();
  outside = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
  await outside.cleanup();
});

test('resolveFile returns the realpath of an indexed image inside its root', async () => {
  const file = await writePng(tmp.dir, 'sub/a.png');
  const g = await openGallery({ roots: [{ prefix: P('/ds'), dir: tmp.dir }], watch: 'off' });
  expect(await g.resolveFile(P('/ds/sub/a.png'))).toBe(file);
  await expect(g.resolveFile(P('/ds/sub/nope.png'))).rejects.toMatchObject({ code: 'not_found' });
  await expect(g.resolveFile(P('/sub/a.png'))).rejects.toMatchObject({ code: 'not_found' });
  await g.close();
});

test('a symlink swapped after indexing to point outside the root is refused', async () => {
  await writePng(tmp.dir, 'real.png');
  await writePng(outside.dir, 'secret.png');
  await symlink(join(tmp.dir, 'real.png'), join(tmp.dir, 'link.png'));
  const g = await openGallery({ roots: [{ prefix: P('/'), dir: tmp.dir }], watch: 'off' });
  expect(await g.resolveFile(P('/link.png'))).toBe(join(tmp.dir, 'real.png'));
  await rm(join(tmp.dir, 'link.png'));
  await symlink(join(outside.dir, 'secret.png'), join(tmp.dir, 'link.png'));
  await expect(g.resolveFile(P('/link.png'))).rejects.toMatchObject({
    code: 'not_found',
    message: expect.stringMatching(/outside its folder/),
  });
  await g.close();
});

test('a folder replaced by a link to outside is refused; a deleted file is not found', async () => {
  await writePng(tmp.dir, 'album/x.png');
  await writePng(outside.dir, 'x.png');
  await writePng(tmp.dir, 'gone.png');
  const g = await openGallery({ roots: [{ prefix: P('/'), dir: tmp.dir }], watch: 'off' });
  await rm(join(tmp.dir, 'album'), { recursive: true });
  await symlink(outside.dir, join(tmp.dir, 'album'));
  await expect(g.resolveFile(P('/album/x.png'))).rejects.toMatchObject({ code: 'not_found' });
  await rm(join(tmp.dir, 'gone.png'));
  await expect(g.resolveFile(P('/gone.png'))).rejects.toMatchObject({
    message: expect.stringMatching(/no longer exists/),
  });
  await mkdir(join(tmp.dir, 'gone.png'));
  await expect(g.resolveFile(P('/gone.png'))).rejects.toMatchObject({ code: 'not_found' });
  await g.close();
});
