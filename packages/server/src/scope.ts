/**
 * A browse scope — the images directly in a folder, or everywhere below it — flattened into an
 * array once and reused by `/folders/query`, `/search` and recursive `/folders` pages, with the
 * per-image keys that filters and sorts need (folded paths, name ranks, dates, hashes) derived
 * lazily, at most once per scope. Walking the gallery's tree and folding 100,000 names costs
 * tens of milliseconds; reading these arrays costs almost nothing.
 *
 * Freshness: scopes are dropped whenever the gallery reports a folder update, so a scope is never
 * older than the latest `folder-updated` event (the gallery coalesces those to at most one per
 * folder per 500 ms). A client that refetches on `folder-updated` always sees the change.
 * Labels are not part of a scope: they are aligned per log head (`labelsAt`).
 */
import { type CanonicalPath, EMPTY_LABELS, joinPath, type Labels } from '@lenslet/core';
import type { GalleryIndex, ImageEntry } from '@lenslet/gallery';
import { foldText } from './search.ts';

const folded = new WeakMap<ImageEntry, string>();
const natural = new WeakMap<ImageEntry, string>();

/** Folded (NFC, lower case) path of an entry, cached per entry object. */
export function foldedPathOf(entry: ImageEntry): string {
  let value = folded.get(entry);
  if (value === undefined) {
    value = foldText(entry.path);
    folded.set(entry, value);
  }
  return value;
}

/**
 * Case-insensitive natural sort key of a file name: digit runs compare by value.
 * 'IMG_12.jpg' => 'img_00212.jpg' · 'img_9.jpg' => 'img_0019.jpg' (so 9 sorts before 12)
 */
export function naturalKey(name: string): string {
  return foldText(name).replace(/\d+/g, (digits) => {
    const value = digits.replace(/^0+(?=\d)/, '');
    return `${String(value.length).padStart(3, '0')}${value}`;
  });
}

function naturalKeyOf(entry: ImageEntry): string {
  let value = natural.get(entry);
  if (value === undefined) {
    value = naturalKey(entry.name);
    natural.set(entry, value);
  }
  return value;
}

/** FNV-1a of a string: the per-image half of the random order. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export class Scope {
  readonly entries: readonly ImageEntry[];
  #foldedPaths: string[] | null = null;
  #nameStarts: Int32Array | null = null;
  #nameRanks: Float64Array | null = null;
  #added: Float64Array | null = null;
  #hashes: Uint32Array | null = null;
  #labels: { head: number; items: ReadonlyMap<CanonicalPath, Labels>; list: Labels[] } | null =
    null;

  constructor(entries: readonly ImageEntry[]) {
    this.entries = entries;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Folded paths (for text search). */
  foldedPaths(): readonly string[] {
    this.#foldedPaths ??= this.entries.map(foldedPathOf);
    return this.#foldedPaths;
  }

  /** Where the file name starts in each folded path. */
  nameStarts(): Int32Array {
    if (this.#nameStarts === null) {
      const paths = this.foldedPaths();
      this.#nameStarts = Int32Array.from(paths, (p) => p.lastIndexOf('/') + 1);
    }
    return this.#nameStarts;
  }

  /** Rank of each image in natural name order (ties by scope order), as sort keys. */
  nameRanks(): Float64Array {
    if (this.#nameRanks === null) {
      const keys = this.entries.map(naturalKeyOf);
      const order = Array.from(keys, (_, i) => i);
      order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
      const ranks = new Float64Array(keys.length);
      order.forEach((position, rank) => {
        ranks[position] = rank;
      });
      this.#nameRanks = ranks;
    }
    return this.#nameRanks;
  }

  /** `added_at` in milliseconds (NaN when unparsable). */
  addedMs(): Float64Array {
    this.#added ??= Float64Array.from(this.entries, (e) => Date.parse(e.added_at));
    return this.#added;
  }

  /** Hash of each path (random order). */
  pathHashes(): Uint32Array {
    this.#hashes ??= Uint32Array.from(this.entries, (e) => fnv1a(e.path));
    return this.#hashes;
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
