/**
 * The gallery port over a served table: one item per row, under the table's prefix. Folders are
 * the directories of the item paths; an item's file facts come from the row's well-known columns
 * (`width`, `height`, `size`, `mtime`) or, where the table has none, from the background file
 * check (file-facts.ts). A row whose file is missing stays listed with `missing: true`; its
 * `/thumb` and `/file` are 404. Entries are built on demand (never one object per row held).
 */
import { stat } from 'node:fs/promises';
import {
  baseName,
  type CanonicalPath,
  joinPath,
  LensletError,
  parentPath,
  ROOT_PATH,
} from '@lenslet/core';
import type {
  FolderEntry,
  FolderUpdate,
  GalleryIndex,
  GalleryStatus,
  ImageEntry,
} from '@lenslet/gallery';
import { type Column, rowOf, type Table } from '@lenslet/table';
import { FILE_MISSING, fileOfValue } from './file-facts.ts';
import type { LoadedTable, TableSource } from './table-source.ts';

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

/** 'a/b.JPG' => 'image/jpeg' */
export function mimeOfName(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return MIME_BY_EXTENSION[ext] ?? 'application/octet-stream';
}

type Folder = { folders: Set<string>; items: CanonicalPath[]; count: number };
type FolderIndex = { readonly generation: number; readonly folders: Map<string, FolderEntry> };

function numberAt(table: Table, name: string | undefined, row: number): number | null {
  if (name === undefined) return null;
  const column = table.columns.get(name);
  if (column?.kind !== 'number') return null;
  const v = column.values[row]!;
  return Number.isNaN(v) ? null : v;
}

/** Folders of the prefixed item paths, every ancestor included, items sorted. */
function buildFolders(prefix: CanonicalPath, paths: readonly string[]): Map<string, FolderEntry> {
  const tree = new Map<string, Folder>();
  const node = (path: string): Folder => {
    let folder = tree.get(path);
    if (!folder) {
      folder = { folders: new Set(), items: [], count: 0 };
      tree.set(path, folder);
      if (path !== ROOT_PATH)
        node(parentPath(path as CanonicalPath)).folders.add(baseName(path as CanonicalPath));
    }
    return folder;
  };
  node(prefix);
  for (const rel of [...paths].sort()) {
    const path = joinPath(prefix, rel) as CanonicalPath;
    let folder = parentPath(path);
    node(folder).items.push(path);
    for (;;) {
      node(folder).count++;
      if (folder === ROOT_PATH) break;
      folder = parentPath(folder);
    }
  }
  return new Map(
    [...tree].map(([path, f]) => [
      path,
      {
        path: path as CanonicalPath,
        name: baseName(path as CanonicalPath),
        folders: [...f.folders].sort(),
        items: f.items,
        count: f.count,
      },
    ]),
  );
}

export type TableGallery = GalleryIndex & {
  readonly source: TableSource;
  /** The row of an item path of this gallery (prefixed), or undefined. */
  rowOf(path: CanonicalPath): number | undefined;
  /** The raw value of the image column for an item (the inspector's `source`). */
  sourceValue(path: CanonicalPath): string | null;
};

export function createTableGallery(source: TableSource): TableGallery {
  const prefix = source.options.prefix;
  const inPrefix = prefix === ROOT_PATH ? '' : prefix;
  const listeners = new Set<(update: FolderUpdate) => void>();
  let index: FolderIndex | null = null;

  const folders = () => {
    const { table, generation } = source.current();
    if (index?.generation !== generation) {
      index = {
        generation,
        folders: buildFolders(
          prefix,
          table.paths.map((p) => p.slice(1)),
        ),
      };
    }
    return index.folders;
  };
  const relative = (path: CanonicalPath): string | null => {
    if (inPrefix === '') return path;
    return path.startsWith(`${inPrefix}/`) ? path.slice(inPrefix.length) : null;
  };
  const rowIn = (loaded: LoadedTable, path: CanonicalPath): number | undefined => {
    const rel = relative(path);
    return rel === null ? undefined : rowOf(loaded.table, rel);
  };
  const rawValue = (loaded: LoadedTable, row: number): string | null => {
    const column = loaded.table.columns.get(loaded.table.path_column) as Extract<
      Column,
      { kind: 'text' | 'category' }
    >;
    if (column.kind === 'text') return column.values[row] ?? null;
    const code = column.codes[row]!;
    return code === 0 ? null : column.values[code - 1]!;
  };
  const entryAt = (loaded: LoadedTable, row: number, path: CanonicalPath): ImageEntry => {
    const { table, facts, loaded_at } = loaded;
    const known = table.well_known;
    const fact = (values: Float64Array | undefined) => {
      const v = values?.[row];
      return v === undefined || Number.isNaN(v) ? null : v;
    };
    const mtime = numberAt(table, known.mtime, row) ?? fact(facts?.mtime) ?? Date.parse(loaded_at);
    const name = baseName(path);
    return {
      path,
      name,
      mime: mimeOfName(name),
      width: numberAt(table, known.width, row) ?? fact(facts?.width),
      height: numberAt(table, known.height, row) ?? fact(facts?.height),
      size: Math.max(0, Math.round(numberAt(table, known.size, row) ?? fact(facts?.size) ?? 0)),
      mtime_ms: mtime,
      added_at: new Date(mtime).toISOString(),
      prompt: null,
      ...(facts?.state[row] === FILE_MISSING ? { missing: true } : {}),
    };
  };

  const offReload = source.onUpdate((update) => {
    if (update.state !== 'ready') return;
    const event = {
      path: prefix,
      added: update.added,
      removed: update.removed,
      changed: update.changed,
    };
    for (const listener of listeners) listener(event);
  });

  return {
    source,
    roots: [{ prefix, dir: source.options.root }],
    get(path) {
      const loaded = source.current();
      const row = rowIn(loaded, path);
      return row === undefined ? undefined : entryAt(loaded, row, path);
    },
    folder: (path) => folders().get(path),
    *items(folder, recursive) {
      const loaded = source.current();
      const start = folders().get(folder);
      if (!start) return;
      const visit = function* (entry: FolderEntry): Generator<ImageEntry> {
        for (const path of entry.items) {
          const row = rowIn(loaded, path);
          if (row !== undefined) yield entryAt(loaded, row, path);
        }
        if (!recursive) return;
        for (const name of entry.folders) {
          const sub = folders().get(joinPath(entry.path, name));
          if (sub) yield* visit(sub);
        }
      };
      yield* visit(start);
    },
    folderPaths: () => [...folders().keys()].sort() as CanonicalPath[],
    async resolveFile(path) {
      const loaded = source.current();
      const row = rowIn(loaded, path);
      if (row === undefined) throw new LensletError('not_found', `no image at ${path}`);
      const raw = rawValue(loaded, row);
      const file = raw === null ? null : fileOfValue(raw, source.options.root);
      if (file === null)
        throw new LensletError('not_found', `${path} is a remote image: not served`);
      const s = await stat(file).catch(() => null);
      if (s === null || !s.isFile())
        throw new LensletError('not_found', `the file for ${path} is missing (${raw})`);
      return file;
    },
    status(): GalleryStatus {
      const { table, facts } = source.current();
      return {
        indexing: {
          state: facts === null || facts.done ? 'ready' : 'scanning',
          items: table.row_count,
          skipped: { invalid_name: 0, duplicate_normalized: 0, outside_root: 0, unreadable: 0 },
          error: null,
        },
        watch: {
          mode: source.options.watch === 'off' ? 'off' : 'poll',
          requested: source.options.watch,
          reason: source.options.watch === 'native' ? 'a table file is polled' : null,
        },
      };
    },
    onFolderUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    rowOf: (path) => rowIn(source.current(), path),
    sourceValue(path) {
      const loaded = source.current();
      const row = rowIn(loaded, path);
      return row === undefined ? null : rawValue(loaded, row);
    },
    async close() {
      offReload();
      listeners.clear();
      await source.close();
    },
  };
}
