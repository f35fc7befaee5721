/**
 * Several galleries served side by side under disjoint prefixes (dataset mode mixing folders and
 * tables: `/cats` from a folder, `/scored` from a table) as one gallery port. A path belongs to
 * the gallery one of whose roots contains it; the root folder `/` merges their tops.
 */
import { type CanonicalPath, isWithin, LensletError, ROOT_PATH } from '@lenslet/core';
import type {
  FolderEntry,
  FolderUpdate,
  GalleryIndex,
  GalleryStatus,
  WatchMode,
} from '@lenslet/gallery';

export function mergeGalleries(galleries: readonly GalleryIndex[]): GalleryIndex {
  if (galleries.length === 1) return galleries[0]!;
  const owner = (path: CanonicalPath) =>
    galleries.find((g) => g.roots.some((root) => isWithin(root.prefix, path)));
  const top = (): FolderEntry => {
    const folders = new Set<string>();
    let count = 0;
    for (const g of galleries) {
      const root = g.folder(ROOT_PATH);
      if (!root) continue;
      for (const name of root.folders) folders.add(name);
      count += root.count;
    }
    return { path: ROOT_PATH, name: '', folders: [...folders].sort(), items: [], count };
  };
  return {
    roots: galleries.flatMap((g) => g.roots),
    get: (path) => owner(path)?.get(path),
    folder: (path) => (path === ROOT_PATH ? top() : owner(path)?.folder(path)),
    *items(folder, recursive) {
      if (folder !== ROOT_PATH) {
        const g = owner(folder);
        if (g) yield* g.items(folder, recursive);
        return;
      }
      if (!recursive) return;
      for (const g of galleries) yield* g.items(ROOT_PATH, true);
    },
    folderPaths: () =>
      [...new Set(galleries.flatMap((g) => g.folderPaths()))].sort() as CanonicalPath[],
    resolveFile(path) {
      const g = owner(path);
      return g
        ? g.resolveFile(path)
        : Promise.reject(new LensletError('not_found', `no image at ${path}`));
    },
    status(): GalleryStatus {
      const all = galleries.map((g) => g.status());
      const skipped = { invalid_name: 0, duplicate_normalized: 0, outside_root: 0, unreadable: 0 };
      for (const s of all)
        for (const key of Object.keys(skipped) as (keyof typeof skipped)[])
          skipped[key] += s.indexing.skipped[key];
      const states = all.map((s) => s.indexing.state);
      const modes = all.map((s) => s.watch.mode);
      const mode: WatchMode = modes.includes('poll')
        ? 'poll'
        : modes.includes('native')
          ? 'native'
          : 'off';
      const reasons = all.map((s) => s.watch.reason).filter((r): r is string => r !== null);
      return {
        indexing: {
          state: states.includes('error')
            ? 'error'
            : states.includes('scanning')
              ? 'scanning'
              : 'ready',
          items: all.reduce((sum, s) => sum + s.indexing.items, 0),
          skipped,
          error: all.find((s) => s.indexing.error !== null)?.indexing.error ?? null,
        },
        watch: {
          mode,
          requested: all[0]!.watch.requested,
          reason: reasons.length > 0 ? reasons.join('; ') : null,
        },
      };
    },
    onFolderUpdate(listener: (update: FolderUpdate) => void) {
      const offs = galleries.map((g) => g.onFolderUpdate(listener));
      return () => {
        for (const off of offs) off();
      };
    },
    async close() {
      await Promise.all(galleries.map((g) => g.close()));
    },
  };
}
