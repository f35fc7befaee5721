import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { DirWatcherFactory } from './dir-watcher.ts';
import type { FolderUpdate, WatchMode } from './gallery.ts';
import { type OpenedGallery, openGallery } from './open-gallery.ts';
import { eventually, png, tempDir, writePng } from './test-support.ts';

const P = (s: string) => s as CanonicalPath;
let tmp: { dir: string; cleanup(): Promise<void> };
let gallery: OpenedGallery | null = null;
let updates: (FolderUpdate & { at: number })[] = [];

beforeEach(async () => {
  tmp = await tempDir();
  updates = [];
});
afterEach(async () => {
  await gallery?.close();
  gallery = null;
  await tmp.cleanup();
});

async function open(watch: WatchMode, extra: Partial<Parameters<typeof openGallery>[0]> = {}) {
  gallery = await openGallery({
    roots: [{ prefix: P('/'), dir: tmp.dir }],
    watch,
    poll_interval_ms: 200,
    ...extra,
  });
  gallery.onFolderUpdate((u) => updates.push({ ...u, at: Date.now() }));
  return gallery;
}

const paths = (g: OpenedGallery) => [...g.items(P('/'), true)].map((e) => e.path).sort();

for (const mode of ['native', 'poll'] as const) {
  test(`${mode}: images appear, change and disappear while serving`, async () => {
    await writePng(tmp.dir, 'a.png', 10, 10);
    const g = await open(mode);
    expect(g.status().watch).toEqual({ mode, requested: mode, reason: null });

    await writePng(tmp.dir, 'b.png', 12, 7);
    await eventually(() => g.get(P('/b.png')) !== undefined);
    expect(g.get(P('/b.png'))).toMatchObject({ width: 12, height: 7 });

    await writeFile(join(tmp.dir, 'a.png'), await png(30, 20));
    await eventually(() => g.get(P('/a.png'))?.width === 30);

    await rm(join(tmp.dir, 'b.png'));
    await eventually(() => g.get(P('/b.png')) === undefined);
    expect(g.folder(P('/'))?.count).toBe(1);

    await eventually(() => updates.some((u) => u.path === '/' && u.removed === 1));
    const total = updates.filter((u) => u.path === '/');
    expect(total.reduce((n, u) => n + u.added, 0)).toBe(1);
    expect(total.reduce((n, u) => n + u.changed, 0)).toBeGreaterThanOrEqual(1);

    // The file comes back: so does the entry.
    await writePng(tmp.dir, 'b.png', 12, 7);
    await eventually(() => g.get(P('/b.png')) !== undefined);
  });

  test(`${mode}: new folders are picked up, deleted and renamed folders vanish`, async () => {
    await writePng(tmp.dir, 'keep/k.png');
    await writePng(tmp.dir, 'old/o.png');
    const g = await open(mode);
    await mkdir(join(tmp.dir, 'new/inner'), { recursive: true });
    await writePng(tmp.dir, 'new/inner/n.png');
    await writePng(tmp.dir, 'new/m.png');
    await eventually(() => g.folder(P('/new'))?.count === 2);
    expect(g.folderPaths()).toContain('/new/inner');

    // Files added to the new folder later are seen too (it is watched).
    await writePng(tmp.dir, 'new/inner/later.png');
    await eventually(() => g.get(P('/new/inner/later.png')) !== undefined);

    await rm(join(tmp.dir, 'old'), { recursive: true });
    await eventually(() => g.folder(P('/old')) === undefined);
    expect(g.get(P('/old/o.png'))).toBeUndefined();

    await rename(join(tmp.dir, 'new'), join(tmp.dir, 'renamed'));
    await eventually(
      () => g.folder(P('/renamed'))?.count === 3 && g.folder(P('/new')) === undefined,
    );
    expect(paths(g)).toEqual([
      '/keep/k.png',
      '/renamed/inner/later.png',
      '/renamed/inner/n.png',
      '/renamed/m.png',
    ]);
    expect(g.folder(P('/'))?.count).toBe(4);
    await eventually(() => updates.some((u) => u.path === '/old' && u.removed === 1));
  });
}

test('native: a burst of changes gives at most one update per folder per 500 ms', async () => {
  const g = await open('native');
  const started = Date.now();
  for (let i = 0; i < 30; i++) {
    await writePng(tmp.dir, `burst-${i}.png`);
    await new Promise((r) => setTimeout(r, 40));
  }
  await eventually(() => g.folder(P('/'))?.count === 30);
  await eventually(() => updates.reduce((n, u) => n + u.added, 0) === 30);
  const root = updates.filter((u) => u.path === '/');
  expect(Date.now() - started).toBeGreaterThan(1200);
  expect(root.length).toBeGreaterThanOrEqual(2);
  expect(root.length).toBeLessThan(30);
  for (let i = 1; i < root.length; i++) {
    expect(root[i]!.at - root[i - 1]!.at).toBeGreaterThanOrEqual(490);
  }
});

test('native: the OS watch limit switches to rescans and says why', async () => {
  await writePng(tmp.dir, 'a.png');
  let fail: ((e: NodeJS.ErrnoException) => void) | null = null;
  const fake: DirWatcherFactory = (events) => {
    fail = events.error;
    return { add() {}, remove() {}, ready: async () => {}, close: async () => {} };
  };
  const g = await open('native', { watcher: fake });
  expect(g.status().watch.mode).toBe('native');
  fail!(
    Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), {
      code: 'ENOSPC',
    }),
  );
  expect(g.status().watch).toMatchObject({ mode: 'poll', requested: 'native' });
  expect(g.status().watch.reason).toMatch(/limit on watched folders/);
  await writePng(tmp.dir, 'b.png');
  await eventually(() => g.get(P('/b.png')) !== undefined);
});

test('native on a network filesystem falls back to rescans', async () => {
  const mounts = join(tmp.dir, '_mounts');
  await writeFile(mounts, `/dev/vda / ext4 rw 0 0\nserver:/x ${tmp.dir} nfs4 rw 0 0\n`);
  const g = await open('native', { mounts_file: mounts });
  expect(g.status().watch.mode).toBe('poll');
  expect(g.status().watch.reason).toMatch(/nfs4 filesystem/);
  await writePng(tmp.dir, 'c.png');
  await eventually(() => g.get(P('/c.png')) !== undefined);
});

test('off: the index stays as scanned', async () => {
  const g = await open('off');
  await writePng(tmp.dir, 'late.png');
  await new Promise((r) => setTimeout(r, 400));
  await g.settle();
  expect(g.get(P('/late.png'))).toBeUndefined();
  expect(g.status().watch).toEqual({ mode: 'off', requested: 'off', reason: null });
});

test('poll: a file touched without content change reports no update', async () => {
  await writePng(tmp.dir, 'a.png');
  const g = await open('poll');
  await g.rescan();
  const before = updates.length;
  await utimes(join(tmp.dir, 'a.png'), new Date(), new Date(Date.now() + 5000));
  await g.rescan();
  await eventually(() => updates.length > before);
  expect(updates.at(-1)).toMatchObject({ path: '/', changed: 1, added: 0 });
});

/** Number of inotify watches this process holds (Linux: one `inotify wd:` line per watch). */
async function inotifyWatches(): Promise<number> {
  const { readdir, readFile } = await import('node:fs/promises');
  let n = 0;
  for (const fd of await readdir('/proc/self/fdinfo')) {
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
    n += info.split('\n').filter((l) => l.startsWith('inotify wd:')).length;
  }
  return n;
}

test('native: one OS watch per folder, none per file', async () => {
  for (let i = 0; i < 60; i++) await writePng(tmp.dir, `f${i % 3}/sub/img-${i}.png`);
  const before = await inotifyWatches();
  const g = await open('native');
  expect(g.folderPaths()).toHaveLength(7); // '/', f0..f2, f0/sub..f2/sub
  expect((await inotifyWatches()) - before).toBe(7);
  await mkdir(join(tmp.dir, 'f9'));
  await eventually(() => g.folder(P('/f9')) !== undefined);
  await eventually(async () => (await inotifyWatches()) - before === 8);
});
