import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openGallery } from './open-gallery.ts';
import { FIXTURES, png, tempDir, writePng } from './test-support.ts';

const P = (s: string) => s as CanonicalPath;
let tmp: { dir: string; cleanup(): Promise<void> };
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

async function open(dir: string) {
  return openGallery({ roots: [{ prefix: P('/'), dir }], watch: 'off', cache_dir: null });
}

test('the fixture gallery: every format, nested folders, unicode names, sizes as displayed', async () => {
  const g = await open(FIXTURES);
  const paths = [...g.items(P('/'), true)].map((e) => e.path);
  expect(paths).toContain('/猫 café 🐱.jpg');
  expect(paths).toContain('/صور/مرحبا.png');
  expect(paths).toContain('/UPPER.JPG');
  expect(paths).toContain('/nested/deeper/deep.webp');
  expect(paths).not.toContain('/.hidden.jpg');
  expect(paths).not.toContain('/_draft.jpg');
  expect(paths.some((p) => p.endsWith('.txt') || p.endsWith('.ts'))).toBe(false);
  expect(g.get(P('/portrait-exif6.jpg'))).toMatchObject({
    width: 32,
    height: 48,
    mime: 'image/jpeg',
  });
  expect(g.get(P('/tiny.avif'))).toMatchObject({ width: 20, height: 12, mime: 'image/avif' });
  expect(g.get(P('/corrupt.jpg'))).toMatchObject({ width: null, height: null });
  expect(g.folder(P('/'))).toMatchObject({ folders: ['nested', 'صور'], count: 14 });
  expect(g.folder(P('/nested'))).toMatchObject({ folders: ['deeper'], count: 2 });
  expect(g.folderPaths()).toEqual(['/', '/nested', '/nested/deeper', '/صور']);
  await g.close();
});

test('names starting with . or _ are skipped, folders included (and so .lenslet)', async () => {
  await writePng(tmp.dir, 'a.png');
  await writePng(tmp.dir, '.b.png');
  await writePng(tmp.dir, '_c.png');
  await writePng(tmp.dir, '.lenslet/thumbs/x.png');
  await writePng(tmp.dir, '_drafts/d.png');
  await writePng(tmp.dir, 'ok/.e.png');
  const g = await open(tmp.dir);
  expect([...g.items(P('/'), true)].map((e) => e.path)).toEqual(['/a.png']);
  expect(g.folderPaths()).toEqual(['/', '/ok']);
  expect(g.status().indexing.skipped).toEqual({
    invalid_name: 0,
    duplicate_normalized: 0,
    outside_root: 0,
    unreadable: 0,
  });
  await g.close();
});

test('extensions are matched case-insensitively; a non-image with an image name is counted', async () => {
  await writePng(tmp.dir, 'A.PNG');
  await writePng(tmp.dir, 'b.Jpeg');
  await writeFile(join(tmp.dir, 'fake.jpg'), 'hello');
  await writeFile(join(tmp.dir, 'empty.png'), '');
  await writeFile(join(tmp.dir, 'readme.md'), 'x');
  const g = await open(tmp.dir);
  expect([...g.items(P('/'), false)].map((e) => [e.path, e.mime])).toEqual([
    ['/A.PNG', 'image/png'],
    ['/b.Jpeg', 'image/png'],
  ]);
  expect(g.status().indexing.skipped.unreadable).toBe(2);
  await g.close();
});

test('symlinks leaving the root are ignored and counted; links inside the root work', async () => {
  const outside = await tempDir();
  try {
    await writePng(outside.dir, 'secret.png');
    await writePng(tmp.dir, 'real/x.png');
    await symlink(join(outside.dir, 'secret.png'), join(tmp.dir, 'leak.png'));
    await symlink(outside.dir, join(tmp.dir, 'leakdir'));
    await symlink(join(tmp.dir, 'real/x.png'), join(tmp.dir, 'alias.png'));
    await symlink(join(tmp.dir, 'real'), join(tmp.dir, 'aliasdir'));
    const g = await open(tmp.dir);
    const paths = [...g.items(P('/'), true)].map((e) => e.path);
    expect(paths.sort()).toEqual(['/alias.png', '/aliasdir/x.png', '/real/x.png']);
    expect(g.status().indexing.skipped.outside_root).toBe(2);
    await g.close();
  } finally {
    await outside.cleanup();
  }
});

test('symlink loops are never followed twice', async () => {
  await writePng(tmp.dir, 'a/b/img.png');
  await symlink(join(tmp.dir, 'a'), join(tmp.dir, 'a/b/up'));
  await symlink(tmp.dir, join(tmp.dir, 'a/root'));
  await symlink(join(tmp.dir, 'a/b'), join(tmp.dir, 'a/b/self'));
  const g = await open(tmp.dir);
  expect([...g.items(P('/'), true)].map((e) => e.path)).toEqual(['/a/b/img.png']);
  await g.close();
});

test('invalid UTF-8 and control characters in names are skipped and counted', async () => {
  const data = await png(4, 4);
  const dirBuf = Buffer.from(tmp.dir);
  await writeFile(Buffer.concat([dirBuf, Buffer.from('/bad-\xff\xfe.png', 'latin1')]), data);
  await mkdir(Buffer.concat([dirBuf, Buffer.from('/dir-\xc3(', 'latin1')]));
  await writeFile(join(tmp.dir, 'tab\there.png'), data);
  await writeFile(join(tmp.dir, 'back\\slash.png'), data);
  await writeFile(join(tmp.dir, 'fine.png'), data);
  await writeFile(Buffer.concat([dirBuf, Buffer.from('/ignored-\xff.txt', 'latin1')]), 'x');
  const g = await open(tmp.dir);
  expect([...g.items(P('/'), true)].map((e) => e.path)).toEqual(['/fine.png']);
  expect(g.status().indexing.skipped.invalid_name).toBe(4);
  await g.close();
});

test('a second name equal under NFC is skipped and counted; the NFC spelling wins', async () => {
  const nfc = 'caf\u00e9.png';
  const nfd = 'cafe\u0301.png';
  await writePng(tmp.dir, nfd, 10, 10);
  await writePng(tmp.dir, nfc, 20, 20);
  await writePng(tmp.dir, 'only-nfd-\u0065\u0301/x.png');
  const g = await open(tmp.dir);
  expect(g.get(P('/café.png'))).toMatchObject({ width: 20 });
  expect(g.status().indexing.skipped.duplicate_normalized).toBe(1);
  // An NFD-only name is indexed under its NFC path and still resolves to the file on disk.
  const path = P('/only-nfd-\u00e9/x.png');
  expect(g.get(path)).toBeDefined();
  expect(await g.resolveFile(path)).toBe(join(tmp.dir, 'only-nfd-\u0065\u0301/x.png'));
  await g.close();
});

test('any Unicode name works: emoji, CJK, RTL, combining marks', async () => {
  const names = ['🦊🌲.png', '東京タワー.png', 'שלום.png', 'مرحبا/بك.png', 'Ελληνικά ü.png'];
  for (const n of names) await writePng(tmp.dir, n);
  const g = await open(tmp.dir);
  for (const n of names) {
    const path = P(`/${n}`.normalize('NFC'));
    expect(g.get(path)?.name).toBe(n.split('/').pop());
    expect(await g.resolveFile(path)).toBe(join(tmp.dir, n));
  }
  await g.close();
});

test('dataset mode: each root under its prefix, recursive counts, progress reported', async () => {
  const cats = await tempDir();
  try {
    await writePng(cats.dir, 'a.png');
    await writePng(cats.dir, 'kittens/b.png');
    await writePng(tmp.dir, 'c.png');
    const seen: number[] = [];
    const g = await openGallery({
      roots: [
        { prefix: P('/cats'), dir: cats.dir },
        { prefix: P('/dogs'), dir: tmp.dir },
      ],
      watch: 'off',
      on_progress: (p) => seen.push(p.items),
    });
    expect(g.folderPaths()).toEqual(['/', '/cats', '/cats/kittens', '/dogs']);
    expect(g.folder(P('/'))).toMatchObject({ folders: ['cats', 'dogs'], items: [], count: 3 });
    expect(g.folder(P('/cats'))?.count).toBe(2);
    expect([...g.items(P('/cats'), true)].map((e) => e.path)).toEqual([
      '/cats/a.png',
      '/cats/kittens/b.png',
    ]);
    expect(seen.at(-1)).toBe(3);
    await g.close();
  } finally {
    await cats.cleanup();
  }
});

test('bad roots are refused with a clear error', async () => {
  await expect(open(join(tmp.dir, 'missing'))).rejects.toMatchObject({ code: 'not_found' });
  const file = await writePng(tmp.dir, 'x.png');
  await expect(open(file)).rejects.toMatchObject({ code: 'usage' });
  await expect(
    openGallery({
      roots: [
        { prefix: P('/a'), dir: tmp.dir },
        { prefix: P('/a/b'), dir: tmp.dir },
      ],
      watch: 'off',
    }),
  ).rejects.toMatchObject({ code: 'usage' });
});
