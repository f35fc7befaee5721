/**
 * Open what `lenslet serve` serves — folders, table files, or both (dataset mode) — as the one
 * gallery port the routes browse and the one catalog the query routes run over. Folders are
 * scanned and watched by @lenslet/gallery; each table file is loaded (a table that cannot be
 * read is the caller's `invalid_table` error), polled and reloaded in place. `joined` is the
 * `DIR --table scores.parquet` case: the table's columns joined to the folder's images by
 * relative path.
 */
import type { CanonicalPath } from '@lenslet/core';
import {
  type GalleryIndex,
  type GalleryProgress,
  openGallery,
  type WatchMode,
} from '@lenslet/gallery';
import { type Catalog, createCatalog } from './catalog.ts';
import { createGalleryPart } from './gallery-part.ts';
import { mergeGalleries } from './merge-galleries.ts';
import type { CatalogPart } from './part.ts';
import { createTableGallery } from './table-gallery.ts';
import { createTablePart } from './table-part.ts';
import { TableSource } from './table-source.ts';

export type ServedSource =
  | { readonly kind: 'folder'; readonly prefix: CanonicalPath; readonly dir: string }
  | {
      readonly kind: 'table';
      readonly prefix: CanonicalPath;
      readonly file: string;
      /** Folder that relative image paths resolve against (the table's folder or `--root`). */
      readonly root: string;
      readonly path_column: string | null;
    };

export type ServedOptions = {
  readonly watch: WatchMode;
  readonly cache_dir: string | null;
  /** A table joined to the (single) folder by relative path (`--table`). */
  readonly joined?: { readonly file: string; readonly path_column: string | null } | null;
  readonly on_progress?: (progress: GalleryProgress) => void;
  /** How often table files are polled for a rewrite (default 1 s). */
  readonly table_poll_ms?: number;
};

export type Served = {
  readonly gallery: GalleryIndex;
  readonly catalog: Catalog;
  /** Every table file served or joined (for the banner and `/health`). */
  readonly tables: readonly TableSource[];
  close(): Promise<void>;
};

export async function openServed(
  sources: readonly ServedSource[],
  options: ServedOptions,
): Promise<Served> {
  const opened: { close(): Promise<void> }[] = [];
  try {
    const galleries: GalleryIndex[] = [];
    const parts: CatalogPart[] = [];
    const tables: TableSource[] = [];
    const watch = options.watch === 'off' ? 'off' : 'poll';
    const folders = sources.filter((s) => s.kind === 'folder');
    if (folders.length > 0) {
      const gallery = await openGallery({
        roots: folders.map((f) => ({ prefix: f.prefix, dir: f.dir })),
        watch: options.watch,
        cache_dir: options.cache_dir,
        ...(options.on_progress ? { on_progress: options.on_progress } : {}),
      });
      opened.push(gallery);
      let joined: TableSource | null = null;
      if (options.joined) {
        joined = await TableSource.open({
          file: options.joined.file,
          prefix: folders[0]!.prefix,
          path_column: options.joined.path_column,
          root: folders[0]!.dir,
          check_files: false,
          watch,
          ...(options.table_poll_ms ? { poll_interval_ms: options.table_poll_ms } : {}),
        });
        opened.push(joined);
        tables.push(joined);
      }
      galleries.push(gallery);
      parts.push(createGalleryPart(gallery, joined));
    }
    for (const source of sources) {
      if (source.kind !== 'table') continue;
      const table = await TableSource.open({
        file: source.file,
        prefix: source.prefix,
        path_column: source.path_column,
        root: source.root,
        check_files: true,
        watch,
        ...(options.table_poll_ms ? { poll_interval_ms: options.table_poll_ms } : {}),
      });
      const gallery = createTableGallery(table);
      opened.push(gallery);
      tables.push(table);
      galleries.push(gallery);
      parts.push(createTablePart(gallery));
    }
    const gallery = mergeGalleries(galleries);
    return {
      gallery,
      catalog: createCatalog(parts),
      tables,
      async close() {
        for (const resource of opened.reverse()) await resource.close();
      },
    };
  } catch (error) {
    for (const resource of opened.reverse()) await resource.close().catch(() => {});
    throw error;
  }
}
