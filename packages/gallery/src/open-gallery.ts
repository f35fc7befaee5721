/**
 * `openGallery`: scan the roots, then keep the index current (watch or poll) until `close()`.
 *
 * The promise resolves after the first full scan, so every route sees a complete index from the
 * first request and no burst of folder updates follows start-up; `on_progress` reports the scan
 * as it goes (the CLI prints it). A warm start reuses the dimension cache under `cache_dir`.
 */
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type CanonicalPath, isCanonicalPath, isWithin, LensletError } from '@lenslet/core';
import { dimensionCacheFile, loadDimensionCache, saveDimensionCache } from './dimension-cache.ts';
import { chokidarDirWatcher, type DirWatcherFactory } from './dir-watcher.ts';
import { createFolderUpdates, REAL_TIMERS } from './folder-updates.ts';
import type {
  FolderUpdate,
  GalleryIndex,
  GalleryRoot,
  GalleryStatus,
  SkippedCounts,
  WatchMode,
} from './gallery.ts';
import { IndexState } from './index-state.ts';
import { LiveRoot } from './live-root.ts';
import { filesystemType, needsPolling } from './mounts.ts';
import { resolveIndexedFile } from './resolve-file.ts';
import { type KnownImage, type ScanRoot, scanRoot } from './scan.ts';

export type GalleryProgress = { readonly items: number; readonly skipped: SkippedCounts };

export type OpenGalleryOptions = {
  readonly roots: readonly GalleryRoot[];
  readonly watch: WatchMode;
  /** Workspace directory for derived caches (`cache/dimensions.bin`); null: no disk cache. */
  readonly cache_dir?: string | null;
  readonly clock?: () => Date;
  /** Called during the first scan, at most every 200 ms, and once at its end. */
  readonly on_progress?: (progress: GalleryProgress) => void;
  /** Pause between two rescans in poll mode (default 5 s; a big tree waits 3× its scan time). */
  readonly poll_interval_ms?: number;
  /** Files statted/read at once during the first scan of a network/FUSE folder (default 32). */
  readonly scan_concurrency?: number;
  /** Native watcher (tests swap it). */
  readonly watcher?: DirWatcherFactory;
  /** Where mounts are listed (tests point it at a fake /proc/mounts). */
  readonly mounts_file?: string;
};

/** The gallery as `openGallery` returns it: the port plus test/ops helpers. */
export interface OpenedGallery extends GalleryIndex {
  /** Resolves when queued filesystem events and running rescans have been applied. */
  settle(): Promise<void>;
  /** Rescan every watched root now (poll mode does this on its own). */
  rescan(): Promise<void>;
}

const PROGRESS_EVERY_MS = 200;

function sameDimensions(a: KnownImage, b: KnownImage): boolean {
  return (
    a.size === b.size &&
    a.mtime_ms === b.mtime_ms &&
    a.width === b.width &&
    a.height === b.height &&
    a.mime === b.mime &&
    (a.prompt ?? null) === (b.prompt ?? null)
  );
}
const CACHE_SAVE_DELAY_MS = 10_000;

async function checkRoots(roots: readonly GalleryRoot[]): Promise<ScanRoot[]> {
  if (roots.length === 0) throw new LensletError('usage', 'no folder to serve');
  for (const a of roots) {
    if (!isCanonicalPath(a.prefix))
      throw new LensletError('usage', `invalid folder prefix "${a.prefix}"`);
    for (const b of roots) {
      if (a !== b && isWithin(a.prefix, b.prefix)) {
        throw new LensletError('usage', `folder prefixes overlap: "${a.prefix}" and "${b.prefix}"`);
      }
    }
  }
  return Promise.all(
    roots.map(async (root) => {
      const dir = resolve(root.dir);
      const s = await stat(dir).catch((error: NodeJS.ErrnoException) => {
        const detail = error.code === 'ENOENT' ? 'no such folder' : error.message;
        throw new LensletError('not_found', `cannot serve ${dir}: ${detail}`);
      });
      if (!s.isDirectory()) throw new LensletError('usage', `cannot serve ${dir}: not a folder`);
      return { prefix: root.prefix, dir, real: await realpath(dir) };
    }),
  );
}

export async function openGallery(options: OpenGalleryOptions): Promise<OpenedGallery> {
  const clock = options.clock ?? (() => new Date());
  const roots = await checkRoots(options.roots);
  const listeners = new Set<(update: FolderUpdate) => void>();
  const updates = createFolderUpdates(
    (u) => {
      for (const listener of listeners) listener(u);
    },
    { timers: REAL_TIMERS },
  );
  const live: LiveRoot[] = [];
  const cacheFile = options.cache_dir ? dimensionCacheFile(options.cache_dir) : null;
  const cacheRoots = roots.map((r) => [r.prefix, r.real] as const);
  let dirty = false;
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<unknown> = Promise.resolve();
  const saveCache = async () => {
    if (cacheFile === null || !dirty) return;
    dirty = false;
    const records = [...state.tree.items('/' as CanonicalPath, true)];
    saving = saveDimensionCache(cacheFile, cacheRoots, records);
    await saving;
  };
  let indexing: GalleryStatus['indexing']['state'] = 'scanning';
  const state: IndexState = new IndexState(updates, {
    folderAdded: (location) => live[location.root]?.watchDir(location),
    folderRemoved: (location) => live[location.root]?.unwatchDir(location),
    dirty: () => {
      if (indexing !== 'ready') return; // the first scan decides on its own (below)
      dirty = true;
      if (cacheFile === null || saveTimer !== null) return;
      saveTimer = setTimeout(() => {
        saveTimer = null;
        void saveCache();
      }, CACHE_SAVE_DELAY_MS);
      saveTimer.unref();
    },
  });
  for (const root of roots) state.tree.ensureFolder(root.prefix, null, true);

  const cache = cacheFile
    ? await loadDimensionCache(cacheFile, cacheRoots)
    : new Map<CanonicalPath, KnownImage>();
  let hits = 0;
  let lastProgress = 0;
  let calls = 0;
  const progress = (force: boolean) => {
    // Reading the clock for every image costs more than the rest of a warm scan's bookkeeping.
    if (!force && ++calls % 256 !== 0) return;
    const now = clock().getTime();
    if (!options.on_progress || (!force && now - lastProgress < PROGRESS_EVERY_MS)) return;
    lastProgress = now;
    options.on_progress({ items: state.tree.size, skipped: state.skips.counts() });
  };
  state.tree.beginBulk();
  try {
    for (const [i, root] of roots.entries()) {
      const sink = state.sink(i, false, (p) => cache.get(p));
      const image = sink.image;
      sink.image = (entry, diskName, abs) => {
        image(entry, diskName, abs);
        const known = cache.get(entry.path);
        if (known === undefined || !sameDimensions(known, entry)) dirty = true;
        else hits++;
        progress(false);
      };
      const fsType = await filesystemType(root.real, options.mounts_file);
      const local = fsType !== null && !needsPolling(fsType);
      await scanRoot({ root, sink, concurrency: options.scan_concurrency ?? 32, sync: local });
    }
  } catch (error) {
    indexing = 'error';
    throw new LensletError('invalid_request', `cannot read ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    state.tree.endBulk();
  }
  progress(true);
  // Write the cache when the scan learned something (or the cache held files that are gone).
  if (cache.size !== hits || hits !== state.tree.size) dirty = true;
  cache.clear();
  indexing = 'ready';
  await saveCache();

  const requested = options.watch;
  for (const [i, root] of roots.entries()) {
    live.push(
      new LiveRoot(state, root, i, {
        requested,
        poll_interval_ms: options.poll_interval_ms ?? 5000,
        watcher: options.watcher ?? chokidarDirWatcher,
        ...(options.mounts_file ? { mounts_file: options.mounts_file } : {}),
      }),
    );
  }
  await Promise.all(live.map((l) => l.start()));

  let closed = false;
  return {
    roots: roots.map((r) => ({ prefix: r.prefix, dir: r.dir })),
    get: (path) => state.tree.get(path),
    folder: (path) => state.tree.folder(path),
    items: (folder, recursive) => state.tree.items(folder, recursive),
    folderPaths: () => state.tree.folderPaths(),
    resolveFile: (path) => resolveIndexedFile(state, roots, path),
    status: () => {
      const modes = live.map((l) => l.mode);
      const mode: WatchMode =
        requested === 'off' ? 'off' : modes.includes('poll') ? 'poll' : 'native';
      const reasons = live.map((l) => l.reason).filter((r): r is string => r !== null);
      return {
        indexing: {
          state: indexing,
          items: state.tree.size,
          skipped: state.skips.counts(),
          error: null,
        },
        watch: { mode, requested, reason: reasons.length > 0 ? reasons.join('; ') : null },
      };
    },
    onFolderUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async settle() {
      await Promise.all(live.map((l) => l.settle()));
    },
    async rescan() {
      await Promise.all(live.filter((l) => l.mode !== 'off').map((l) => l.rescan()));
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(live.map((l) => l.close()));
      if (saveTimer !== null) clearTimeout(saveTimer);
      updates.close();
      listeners.clear();
      await saving;
      await saveCache();
    },
  };
}
