/**
 * The in-memory index: images by path and folders with their direct children, kept sorted, and
 * recursive counts. Pure data (no I/O), mutated only by the scan and the watcher.
 *
 * Invariants: every image's parent folder exists; a folder's `count` is the number of images in
 * it and below; `items` and `folders` arrays are replaced, never mutated, once published, so a
 * caller holding a `FolderEntry` sees a consistent snapshot.
 */
import {
  baseName,
  type CanonicalPath,
  isWithin,
  joinPath,
  parentPath,
  ROOT_PATH,
} from '@lenslet/core';
import type { FolderEntry, ImageEntry } from './gallery.ts';

type Folder = {
  readonly path: CanonicalPath;
  readonly name: string;
  readonly parent: Folder | null;
  folders: readonly string[];
  items: readonly CanonicalPath[];
  count: number;
  /** A root prefix or one of its ancestors: exists even when its directory is gone. */
  readonly pinned: boolean;
};

export type PutResult = 'added' | 'changed' | 'same';

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of `value` in sorted `list`, or where it would be inserted (as -index - 1). */
function search(list: readonly string[], value: string): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(list[mid]!, value);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

function withInserted<T extends string>(list: readonly T[], value: T): readonly T[] {
  const i = search(list, value);
  if (i >= 0) return list;
  const at = -i - 1;
  return [...list.slice(0, at), value, ...list.slice(at)];
}

function withRemoved<T extends string>(list: readonly T[], value: T): readonly T[] {
  const i = search(list, value);
  if (i < 0) return list;
  return [...list.slice(0, i), ...list.slice(i + 1)];
}

export class FolderTree {
  private readonly images = new Map<CanonicalPath, ImageEntry>();
  private readonly dirs = new Map<CanonicalPath, Folder>();
  /** On-disk names that differ from the canonical (NFC) segment, by canonical path. */
  private readonly diskNames = new Map<CanonicalPath, string>();
  private sortedFolderPaths: CanonicalPath[] | null = null;
  /** Folders whose `items` were appended unsorted during a bulk load. */
  private bulk: Set<Folder> | null = null;

  constructor() {
    this.dirs.set(ROOT_PATH, {
      path: ROOT_PATH,
      name: '',
      parent: null,
      folders: [],
      items: [],
      count: 0,
      pinned: true,
    });
  }

  get size(): number {
    return this.images.size;
  }

  get(path: CanonicalPath): ImageEntry | undefined {
    return this.images.get(path);
  }

  hasFolder(path: CanonicalPath): boolean {
    return this.dirs.has(path);
  }

  folder(path: CanonicalPath): FolderEntry | undefined {
    const f = this.dirs.get(path);
    if (f === undefined) return undefined;
    return { path: f.path, name: f.name, folders: f.folders, items: f.items, count: f.count };
  }

  folderPaths(): CanonicalPath[] {
    this.sortedFolderPaths ??= [...this.dirs.keys()].sort(compare);
    return [...this.sortedFolderPaths];
  }

  /** The on-disk name of the last segment of `path` when it differs from the canonical one. */
  diskName(path: CanonicalPath): string | undefined {
    return this.diskNames.get(path);
  }

  /** Append items unsorted until `endBulk()` (the initial scan adds 100,000s of images). */
  beginBulk(): void {
    this.bulk = new Set();
  }

  endBulk(): void {
    for (const f of this.bulk ?? []) f.items = [...f.items].sort(compare);
    this.bulk = null;
  }

  /** Create `path` and any missing ancestors; true when `path` itself was new. */
  ensureFolder(path: CanonicalPath, diskName: string | null = null, pinned = false): boolean {
    if (this.dirs.has(path)) return false;
    const parent = parentPath(path);
    this.ensureFolder(parent, null, pinned);
    const name = baseName(path);
    const p = this.dirs.get(parent)!;
    this.dirs.set(path, { path, name, parent: p, folders: [], items: [], count: 0, pinned });
    p.folders = withInserted(p.folders, name);
    if (diskName !== null && diskName !== name) this.diskNames.set(path, diskName);
    this.sortedFolderPaths = null;
    return true;
  }

  /** Insert or replace an image; its folder is created when missing. */
  put(entry: ImageEntry, diskName: string | null = null): PutResult {
    const before = this.images.get(entry.path);
    this.images.set(entry.path, entry);
    if (diskName !== null && diskName !== entry.name) this.diskNames.set(entry.path, diskName);
    else if (this.diskNames.size > 0) this.diskNames.delete(entry.path);
    if (before !== undefined) {
      const same =
        before.size === entry.size &&
        before.mtime_ms === entry.mtime_ms &&
        before.width === entry.width &&
        before.height === entry.height &&
        before.mime === entry.mime;
      return same ? 'same' : 'changed';
    }
    const parent = parentPath(entry.path);
    let f = this.dirs.get(parent);
    if (f === undefined) {
      this.ensureFolder(parent);
      f = this.dirs.get(parent)!;
    }
    if (this.bulk) {
      (f.items as CanonicalPath[]).push(entry.path);
      this.bulk.add(f);
    } else {
      f.items = withInserted(f.items, entry.path);
    }
    this.adjustCounts(f, 1);
    return 'added';
  }

  /** Remove an image; returns it, or undefined when it was not indexed. */
  remove(path: CanonicalPath): ImageEntry | undefined {
    const entry = this.images.get(path);
    if (entry === undefined) return undefined;
    this.images.delete(path);
    this.diskNames.delete(path);
    const f = this.dirs.get(parentPath(path))!;
    f.items = withRemoved(f.items, path);
    this.adjustCounts(f, -1);
    return entry;
  }

  /**
   * Remove a folder and everything below it (a pinned folder is emptied but kept).
   * Returns the removed images grouped by their folder, and the removed folder paths.
   */
  removeFolder(path: CanonicalPath): {
    images: Map<CanonicalPath, number>;
    folders: CanonicalPath[];
  } {
    const images = new Map<CanonicalPath, number>();
    const folders: CanonicalPath[] = [];
    const f = this.dirs.get(path);
    if (f === undefined) return { images, folders };
    for (const name of f.folders) {
      const sub = this.removeFolder(joinPath(path, name));
      for (const [k, v] of sub.images) images.set(k, v);
      folders.push(...sub.folders);
    }
    for (const item of f.items) {
      this.images.delete(item);
      this.diskNames.delete(item);
    }
    if (f.items.length > 0) images.set(path, f.items.length);
    this.adjustCounts(f, -f.items.length);
    f.items = [];
    if (!f.pinned) {
      this.dirs.delete(path);
      this.diskNames.delete(path);
      const p = this.dirs.get(parentPath(path))!;
      p.folders = withRemoved(p.folders, f.name);
      folders.push(path);
      this.sortedFolderPaths = null;
    }
    return { images, folders };
  }

  /** Images directly in `folder` (name order), or depth-first below it when `recursive`. */
  *items(folder: CanonicalPath, recursive: boolean): Generator<ImageEntry> {
    const f = this.dirs.get(folder);
    if (f === undefined) return;
    for (const path of f.items) {
      const entry = this.images.get(path);
      if (entry !== undefined) yield entry;
    }
    if (!recursive) return;
    for (const name of f.folders) yield* this.items(joinPath(folder, name), true);
  }

  /** Every image path within `folder` (itself included when it is an image path). */
  *pathsWithin(folder: CanonicalPath): Generator<CanonicalPath> {
    for (const path of this.images.keys()) if (isWithin(folder, path)) yield path;
  }

  private adjustCounts(folder: Folder, delta: number): void {
    for (let f: Folder | null = folder; f !== null; f = f.parent) f.count += delta;
  }
}
