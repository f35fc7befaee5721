/**
 * Test double of the gallery ports (unit tests only; integration tests use the real gallery):
 * an in-memory index built from a list of image paths, optionally backed by real files under
 * `dir` so `/file` can stream them, and a thumbnailer that renders a recognisable fake WebP.
 */
import { realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import {
  type CanonicalPath,
  LensletError,
  parentPath,
  ROOT_PATH,
  toCanonicalPath,
} from '@lenslet/core';
import type {
  FolderEntry,
  FolderUpdate,
  GalleryIndex,
  GalleryStatus,
  ImageEntry,
  Thumbnailer,
} from '@lenslet/gallery';

export type FakeImage = Partial<Omit<ImageEntry, 'path'>> & { readonly path: string };

const MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

export function fakeEntry(image: FakeImage, index = 0): ImageEntry {
  const path = toCanonicalPath(image.path)!;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return {
    path,
    name,
    mime: image.mime ?? MIME[ext] ?? 'application/octet-stream',
    width: image.width === undefined ? 640 : image.width,
    height: image.height === undefined ? 480 : image.height,
    size: image.size ?? 1000 + index,
    mtime_ms: image.mtime_ms ?? Date.UTC(2026, 0, 1) + index * 1000,
    added_at: image.added_at ?? new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
  };
}

export type FakeGallery = GalleryIndex & {
  /** Replace or add an image (as a watcher would). */
  put(image: FakeImage): void;
  emit(update: FolderUpdate): void;
};

/** An in-memory gallery of `images`; `dir` backs resolveFile with real files. */
export function createFakeGallery(
  images: readonly FakeImage[],
  dir: string | null = null,
): FakeGallery {
  const entries = new Map<CanonicalPath, ImageEntry>();
  const listeners = new Set<(update: FolderUpdate) => void>();
  let folders = new Map<CanonicalPath, FolderEntry>();
  let ordered: ImageEntry[] = [];

  const rebuild = () => {
    ordered = [...entries.values()].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    );
    const tree = new Map<
      CanonicalPath,
      { folders: Set<string>; items: CanonicalPath[]; count: number }
    >();
    const node = (path: CanonicalPath) => {
      let n = tree.get(path);
      if (!n) {
        n = { folders: new Set(), items: [], count: 0 };
        tree.set(path, n);
        if (path !== ROOT_PATH)
          node(parentPath(path)).folders.add(path.slice(path.lastIndexOf('/') + 1));
      }
      return n;
    };
    node(ROOT_PATH);
    for (const entry of ordered) {
      let folder = parentPath(entry.path);
      node(folder).items.push(entry.path);
      for (;;) {
        node(folder).count++;
        if (folder === ROOT_PATH) break;
        folder = parentPath(folder);
      }
    }
    folders = new Map(
      [...tree].map(([path, n]) => [
        path,
        {
          path,
          name: path.slice(path.lastIndexOf('/') + 1),
          folders: [...n.folders].sort(),
          items: n.items,
          count: n.count,
        },
      ]),
    );
  };

  images.forEach((image, i) => {
    const entry = fakeEntry(image, i);
    entries.set(entry.path, entry);
  });
  rebuild();

  const status: GalleryStatus = {
    indexing: {
      state: 'ready',
      items: entries.size,
      skipped: { invalid_name: 0, duplicate_normalized: 0, outside_root: 0, unreadable: 0 },
      error: null,
    },
    watch: { mode: 'off', requested: 'off', reason: null },
  };

  return {
    roots: [{ prefix: ROOT_PATH, dir: dir ?? '/nonexistent' }],
    get: (path) => entries.get(path),
    folder: (path) => folders.get(path),
    *items(folder, recursive) {
      if (!recursive) {
        for (const path of folders.get(folder)?.items ?? []) yield entries.get(path)!;
        return;
      }
      const prefix = folder === ROOT_PATH ? '/' : `${folder}/`;
      for (const entry of ordered) if (entry.path.startsWith(prefix)) yield entry;
    },
    folderPaths: () => [...folders.keys()].sort(),
    async resolveFile(path) {
      if (!entries.has(path) || dir === null)
        throw new LensletError('not_found', `no image ${path}`);
      const root = await realpath(dir);
      const real = await realpath(join(dir, ...path.split('/').filter(Boolean))).catch(() => {
        throw new LensletError('not_found', `image ${path} is no longer on disk`);
      });
      if (!real.startsWith(root + sep))
        throw new LensletError('not_found', `image ${path} is outside its root`);
      return real;
    },
    status: () => ({ ...status, indexing: { ...status.indexing, items: entries.size } }),
    onFolderUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {},
    put(image) {
      const entry = fakeEntry(image, entries.size);
      entries.set(entry.path, entry);
      rebuild();
    },
    emit(update) {
      for (const listener of listeners) listener(update);
    },
  };
}

/** A thumbnailer returning `FAKEWEBP:<path>` and counting renders. */
export function createFakeThumbnailer(): Thumbnailer & { renders: number } {
  const fake = {
    renders: 0,
    async thumbnail(entry: ImageEntry) {
      fake.renders++;
      return Buffer.from(`FAKEWEBP:${entry.path}`);
    },
    stats: () => ({
      memory_entries: 0,
      memory_bytes: 0,
      disk_cache: false,
      rendered: fake.renders,
      queued: 0,
    }),
    async close() {},
  };
  return fake;
}
