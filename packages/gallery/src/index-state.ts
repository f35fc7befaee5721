/**
 * The index shared by the initial scan, the watcher and rescans: the folder tree, where each
 * folder is on disk, what was skipped, and the hooks that keep watches and folder updates in step
 * with every change. All mutations go through here.
 */
import { type CanonicalPath, parentPath } from '@lenslet/core';
import { FolderTree } from './folder-tree.ts';
import type { FolderUpdates } from './folder-updates.ts';
import type { ImageEntry } from './gallery.ts';
import type { KnownImage, ScanSink } from './scan.ts';
import { SkipBook } from './skip-book.ts';

/** Where a folder of the index lives: `abs` as reached from its root, `real` its realpath. */
export type FolderLocation = { readonly abs: string; readonly real: string; readonly root: number };

export type IndexHooks = {
  /** A folder appeared (or was found by the scan): watch it. */
  folderAdded(location: FolderLocation): void;
  /** A folder vanished: stop watching it. */
  folderRemoved(location: FolderLocation): void;
  /** The index changed in a way the dimension cache should learn. */
  dirty(): void;
};

export class IndexState {
  readonly tree = new FolderTree();
  readonly skips = new SkipBook();
  readonly locations = new Map<CanonicalPath, FolderLocation>();
  readonly byAbs = new Map<string, CanonicalPath>();

  constructor(
    readonly updates: FolderUpdates,
    readonly hooks: IndexHooks,
  ) {}

  /** Register a folder; `live` changes are announced as folder updates. */
  addFolder(
    path: CanonicalPath,
    diskName: string | null,
    location: FolderLocation,
    live: boolean,
  ): void {
    const isNew = this.tree.ensureFolder(path, diskName);
    const before = this.locations.get(path);
    if (before !== undefined && before.abs !== location.abs) this.byAbs.delete(before.abs);
    this.locations.set(path, location);
    this.byAbs.set(location.abs, path);
    if (before?.abs !== location.abs) this.hooks.folderAdded(location);
    if (isNew && live && path !== '/') this.updates.record(parentPath(path), 'touched');
  }

  putImage(entry: ImageEntry, diskName: string | null, live: boolean): void {
    const result = this.tree.put(entry, diskName);
    if (result === 'same') return;
    this.hooks.dirty();
    if (live) this.updates.record(parentPath(entry.path), result);
  }

  removeImage(path: CanonicalPath, live: boolean): boolean {
    if (this.tree.remove(path) === undefined) return false;
    this.hooks.dirty();
    if (live) this.updates.record(parentPath(path), 'removed');
    return true;
  }

  /** Remove a folder and all below it (a root's own folder is emptied, not removed). */
  removeFolder(path: CanonicalPath, live: boolean): void {
    const { images, folders } = this.tree.removeFolder(path);
    if (images.size > 0) this.hooks.dirty();
    if (live) {
      for (const [folder, n] of images) this.updates.record(folder, 'removed', n);
      if (folders.includes(path)) this.updates.record(parentPath(path), 'touched');
    }
    for (const folder of folders) {
      const location = this.locations.get(folder);
      if (location === undefined) continue;
      this.locations.delete(folder);
      this.byAbs.delete(location.abs);
      this.skips.forget(location.abs, true);
      this.hooks.folderRemoved(location);
    }
  }

  /** Absolute path of an indexed image as reached from its root (before realpath). */
  diskPath(path: CanonicalPath): string | null {
    const folder = this.locations.get(parentPath(path));
    if (folder === undefined) return null;
    const name = this.tree.diskName(path) ?? path.slice(path.lastIndexOf('/') + 1);
    return `${folder.abs}/${name}`;
  }

  /**
   * A scan sink writing into this index. `known` supplies dimensions to reuse; `seen` (rescans)
   * collects what the scan found so the caller can remove the rest.
   */
  sink(
    root: number,
    live: boolean,
    known: (path: CanonicalPath) => KnownImage | undefined,
    skips: SkipBook = this.skips,
    seen?: { images: Set<CanonicalPath>; folders: Set<CanonicalPath> },
  ): ScanSink {
    return {
      folder: (path, diskName, abs, real) => {
        seen?.folders.add(path);
        this.addFolder(path, diskName, { abs, real, root }, live);
      },
      image: (entry, diskName, abs) => {
        seen?.images.add(entry.path);
        if (live) skips.forget(abs);
        this.putImage(entry, diskName, live);
      },
      skip: (kind, abs) => skips.add(kind, abs),
      known,
    };
  }
}
