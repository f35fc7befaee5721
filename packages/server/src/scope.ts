/**
 * A browse scope — the images directly in a folder, or everywhere below it — flattened into an
 * array once and reused by recursive `/folders` pages and `/tags` (queries, `/search` and exports
 * run on the catalog's engine instead). Walking the gallery's tree for 100,000 images costs tens
 * of milliseconds; reading the array costs almost nothing.
 *
 * Freshness: scopes are dropped whenever the gallery reports a folder update, so a scope is never
 * older than the latest `folder-updated` event (the gallery coalesces those to at most one per
 * folder per 500 ms). A client that refetches on `folder-updated` always sees the change.
 * Labels are not part of a scope: they are aligned per log head (`labelsAt`).
 */
import { type CanonicalPath, EMPTY_LABELS, joinPath, type Labels } from '@lenslet/core';
import type { GalleryIndex, ImageEntry } from '@lenslet/gallery';

export class Scope {
  readonly entries: readonly ImageEntry[];
  #labels: { head: number; items: ReadonlyMap<CanonicalPath, Labels>; list: Labels[] } | null =
    null;

  constructor(entries: readonly ImageEntry[]) {
    this.entries = entries;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Labels of each image as of log head `head` (`items` is the store's durable map). */
  labelsAt(items: ReadonlyMap<CanonicalPath, Labels>, head: number): readonly Labels[] {
    const cached = this.#labels;
    if (cached !== null && cached.head === head && cached.items === items) return cached.list;
    const list = new Array<Labels>(this.entries.length);
    if (items.size === 0) list.fill(EMPTY_LABELS);
    else
      for (let i = 0; i < list.length; i++)
        list[i] = items.get(this.entries[i]!.path) ?? EMPTY_LABELS;
    this.#labels = { head, items, list };
    return list;
  }
}

export const MAX_CACHED_SCOPES = 32;

type FolderSlice = {
  readonly items: readonly CanonicalPath[];
  readonly entries: readonly ImageEntry[];
};

/**
 * Scopes by (folder, recursive). Every gallery folder update drops the assembled scopes and the
 * updated folder's own slice; a rebuild then walks the folder tree and reuses the slices of the
 * folders that did not change (checked again by the identity of their item list), so a change in
 * one folder of 200 costs 500 lookups, not 100,000.
 */
export class ScopeCache {
  readonly #gallery: GalleryIndex;
  readonly #scopes = new Map<string, Scope>();
  readonly #slices = new Map<CanonicalPath, FolderSlice>();
  readonly #unsubscribe: () => void;

  constructor(gallery: GalleryIndex) {
    this.#gallery = gallery;
    this.#unsubscribe = gallery.onFolderUpdate((update) => {
      this.#slices.delete(update.path);
      this.#scopes.clear();
    });
  }

  get(folder: CanonicalPath, recursive: boolean): Scope {
    const key = `${recursive ? 'r' : 'd'}${folder}`;
    let scope = this.#scopes.get(key);
    if (scope !== undefined) {
      this.#scopes.delete(key);
      this.#scopes.set(key, scope);
      return scope;
    }
    const entries: ImageEntry[] = [];
    this.#collect(folder, recursive, entries);
    scope = new Scope(entries);
    this.#scopes.set(key, scope);
    if (this.#scopes.size > MAX_CACHED_SCOPES)
      this.#scopes.delete(this.#scopes.keys().next().value!);
    return scope;
  }

  /** Same order as `gallery.items`: a folder's images, then each subfolder depth-first. */
  #collect(path: CanonicalPath, recursive: boolean, out: ImageEntry[]): void {
    const folder = this.#gallery.folder(path);
    if (folder === undefined) return;
    let slice = this.#slices.get(path);
    if (slice === undefined || slice.items !== folder.items) {
      const entries: ImageEntry[] = [];
      for (const item of folder.items) {
        const entry = this.#gallery.get(item);
        if (entry !== undefined) entries.push(entry);
      }
      slice = { items: folder.items, entries };
      this.#slices.set(path, slice);
    }
    for (const entry of slice.entries) out.push(entry);
    if (recursive)
      for (const name of folder.folders) this.#collect(joinPath(path, name), true, out);
  }

  close(): void {
    this.#unsubscribe();
    this.#scopes.clear();
    this.#slices.clear();
  }
}
