import type { CanonicalPath } from '@lenslet/core';
import { expect, test } from 'vitest';
import { FolderTree } from './folder-tree.ts';
import type { ImageEntry } from './gallery.ts';

const P = (s: string) => s as CanonicalPath;
const img = (path: string, size = 1): ImageEntry => ({
  path: P(path),
  name: path.slice(path.lastIndexOf('/') + 1),
  mime: 'image/png',
  width: 1,
  height: 1,
  size,
  mtime_ms: 1,
  added_at: '2026-01-01T00:00:00.000Z',
});

test('items stay sorted, counts are recursive, parents are created', () => {
  const t = new FolderTree();
  expect(t.put(img('/a/b/z.png'))).toBe('added');
  expect(t.put(img('/a/b/c.png'))).toBe('added');
  expect(t.put(img('/a/m.png'))).toBe('added');
  expect(t.put(img('/a/m.png'))).toBe('same');
  expect(t.put(img('/a/m.png', 2))).toBe('changed');
  expect(t.folder(P('/a/b'))?.items).toEqual(['/a/b/c.png', '/a/b/z.png']);
  expect(t.folder(P('/'))).toMatchObject({ folders: ['a'], count: 3 });
  expect(t.folder(P('/a'))).toMatchObject({ folders: ['b'], count: 3 });
  expect([...t.items(P('/a'), true)].map((e) => e.path)).toEqual([
    '/a/m.png',
    '/a/b/c.png',
    '/a/b/z.png',
  ]);
  expect([...t.items(P('/a'), false)].map((e) => e.path)).toEqual(['/a/m.png']);
});

test('a published folder snapshot does not change under its holder', () => {
  const t = new FolderTree();
  t.put(img('/x/a.png'));
  const snapshot = t.folder(P('/x'))!;
  t.put(img('/x/b.png'));
  expect(snapshot.items).toEqual(['/x/a.png']);
  expect(t.folder(P('/x'))?.items).toEqual(['/x/a.png', '/x/b.png']);
});

test('removing a folder removes everything below and fixes counts; pinned folders stay', () => {
  const t = new FolderTree();
  t.ensureFolder(P('/ds'), null, true);
  t.put(img('/ds/a/1.png'));
  t.put(img('/ds/a/b/2.png'));
  t.put(img('/ds/3.png'));
  const removed = t.removeFolder(P('/ds/a'));
  expect([...removed.images]).toEqual([
    ['/ds/a/b', 1],
    ['/ds/a', 1],
  ]);
  expect(removed.folders).toEqual(['/ds/a/b', '/ds/a']);
  expect(t.folder(P('/'))?.count).toBe(1);
  t.removeFolder(P('/ds'));
  expect(t.folder(P('/ds'))).toMatchObject({ count: 0, items: [] });
  expect(t.size).toBe(0);
});

test('bulk loading sorts once at the end', () => {
  const t = new FolderTree();
  t.beginBulk();
  for (const n of ['d', 'b', 'a', 'c']) t.put(img(`/f/${n}.png`));
  t.endBulk();
  expect(t.folder(P('/f'))?.items).toEqual(['/f/a.png', '/f/b.png', '/f/c.png', '/f/d.png']);
});
