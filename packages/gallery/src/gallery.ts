/**
 * The gallery port: what the server needs from the image side. A gallery serves one or more roots
 * (a single folder at `/`, or named datasets at `/cats`, `/dogs`), keeps an index of the images in
 * them current while serving, and renders thumbnails.
 *
 * Invariants: every path is canonical and carries its root's prefix; a file outside a root (by
 * symlink or traversal) is never listed nor resolved; folder counts are recursive.
 */
import type { CanonicalPath } from '@lenslet/core';

/** One served folder: `prefix` is `/` for a single folder, `/<name>` in dataset mode. */
export type GalleryRoot = { readonly prefix: CanonicalPath; readonly dir: string };

/** One image in the index. */
export type ImageEntry = {
  readonly path: CanonicalPath;
  readonly name: string;
  readonly mime: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly size: number;
  readonly mtime_ms: number;
  /** When the file was first seen (birth time when the filesystem has one, else mtime), ISO. */
  readonly added_at: string;
  /**
   * The generation prompt embedded in the file (A1111 parameters, ComfyUI graph, EXIF
   * UserComment…), cut to 1,024 characters, read with the header; null when there is none.
   * Absent on entries not built by the scan (test doubles).
   */
  readonly prompt?: string | null;
  /**
   * True for an item whose file is not there (a table row naming a file that does not exist):
   * it stays listed, `/thumb` and `/file` answer 404. Absent for scanned files.
   */
  readonly missing?: boolean;
};

/** A folder and what it directly contains. */
export type FolderEntry = {
  readonly path: CanonicalPath;
  readonly name: string;
  /** Direct subfolder names, sorted. */
  readonly folders: readonly string[];
  /** Direct images, sorted by name. */
  readonly items: readonly CanonicalPath[];
  /** Images in this folder and all below it. */
  readonly count: number;
};

export type SkippedCounts = {
  /** Names with control characters or invalid UTF-8. */
  readonly invalid_name: number;
  /** A second name differing from another only by Unicode normalization. */
  readonly duplicate_normalized: number;
  /** Symlinks that lead outside their root. */
  readonly outside_root: number;
  /** Files that could not be read or whose header is not an image. */
  readonly unreadable: number;
};

export type WatchMode = 'native' | 'poll' | 'off';

export type GalleryStatus = {
  readonly indexing: {
    readonly state: 'scanning' | 'ready' | 'error';
    readonly items: number;
    readonly skipped: SkippedCounts;
    readonly error: string | null;
  };
  /** `mode` is what runs now; `reason` says why it differs from what was asked (e.g. watch limit). */
  readonly watch: {
    readonly mode: WatchMode;
    readonly requested: WatchMode;
    readonly reason: string | null;
  };
};

/** At most one per folder per 500 ms: counts of what changed directly in `path`. */
export type FolderUpdate = {
  readonly path: CanonicalPath;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
};

export interface GalleryIndex {
  readonly roots: readonly GalleryRoot[];
  /** The image at `path`, if indexed. */
  get(path: CanonicalPath): ImageEntry | undefined;
  /** The folder at `path`, if it exists (the root `/` always does). */
  folder(path: CanonicalPath): FolderEntry | undefined;
  /** Images directly in `folder`, or everywhere below it when `recursive`, in name order. */
  items(folder: CanonicalPath, recursive: boolean): Iterable<ImageEntry>;
  /** Every folder path, sorted. */
  folderPaths(): CanonicalPath[];
  /** Absolute file path of an indexed image, realpath-checked against its root at call time. */
  resolveFile(path: CanonicalPath): Promise<string>;
  status(): GalleryStatus;
  /** Called with coalesced folder changes. Returns unsubscribe. */
  onFolderUpdate(listener: (update: FolderUpdate) => void): () => void;
  close(): Promise<void>;
}

/** Thumbnail key parts: the URL carries size+mtime so a thumbnail can be served as immutable. */
export type ThumbnailStats = {
  readonly memory_entries: number;
  readonly memory_bytes: number;
  readonly disk_cache: boolean;
  readonly rendered: number;
  readonly queued: number;
};

export interface Thumbnailer {
  /**
   * WebP thumbnail (short edge = size, EXIF orientation applied, alpha kept) of an indexed image.
   * `file` is what `resolveFile` returned. Rejects with `unsupported_image` when the file cannot be
   * decoded; with `signal.reason` when `signal` aborts first (a queued render is then dropped).
   */
  thumbnail(entry: ImageEntry, file: string, options?: { signal?: AbortSignal }): Promise<Buffer>;
  stats(): ThumbnailStats;
  close(): Promise<void>;
}
