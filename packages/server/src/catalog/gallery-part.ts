/**
 * The folders' images as a catalog part: the gallery index as columns (`added`, `size`, `width`,
 * `height`, `prompt`), rows in path order (so the engine never sorts the paths: a walk of the
 * folder tree merges each folder's files and subfolders), rebuilt when the gallery reports a
 * folder update (lazily: on the next query). With `--table`, the table's columns are joined by
 * path; a table column replaces a gallery column of the same name.
 */
import { type CanonicalPath, joinPath, ROOT_PATH } from '@lenslet/core';
import type { GalleryIndex, ImageEntry } from '@lenslet/gallery';
import { type Column, createTable, gatherColumn, rowOf } from '@lenslet/table';
import {
  type CatalogPart,
  ITEM_COLUMN,
  type JoinedTable,
  numberColumn,
  type PartTable,
} from './part.ts';
import type { TableSource } from './table-source.ts';

/** Every image of the gallery, in path order. */
export function entriesInPathOrder(gallery: GalleryIndex): ImageEntry[] {
  const out: ImageEntry[] = [];
  const visit = (path: CanonicalPath) => {
    const folder = gallery.folder(path);
    if (!folder) return;
    const subs = folder.folders
      .map((name) => joinPath(path, name))
      .sort((a, b) => {
        const x = `${a}/`;
        const y = `${b}/`;
        return x < y ? -1 : x > y ? 1 : 0;
      });
    let s = 0;
    for (const item of folder.items) {
      while (s < subs.length && `${subs[s]}/` < item) visit(subs[s++]!);
      const entry = gallery.get(item);
      if (entry) out.push(entry);
    }
    while (s < subs.length) visit(subs[s++]!);
  };
  visit(ROOT_PATH);
  return out;
}

const GALLERY_FIELDS = ['added', 'size', 'width', 'height', 'prompt'];

function galleryColumns(entries: readonly ImageEntry[]): Column[] {
  const n = entries.length;
  const numbers = (pick: (e: ImageEntry) => number | null) => {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = pick(entries[i]!) ?? Number.NaN;
    return values;
  };
  const prompts = entries.map((e) => e.prompt ?? null);
  return [
    {
      kind: 'text',
      name: ITEM_COLUMN,
      values: entries.map((e) => e.path.slice(1)),
      missing_count: 0,
    },
    numberColumn(
      'added',
      numbers((e) => Date.parse(e.added_at)),
      true,
    ),
    numberColumn(
      'size',
      numbers((e) => e.size),
    ),
    numberColumn(
      'width',
      numbers((e) => e.width),
    ),
    numberColumn(
      'height',
      numbers((e) => e.height),
    ),
    {
      kind: 'text',
      name: 'prompt',
      values: prompts,
      missing_count: prompts.filter((p) => p === null).length,
    },
  ];
}

export function createGalleryPart(
  gallery: GalleryIndex,
  joined: TableSource | null = null,
): CatalogPart {
  let generation = 1;
  let built: { generation: number; part: PartTable } | null = null;
  let matched: number | null = null;
  const listeners = new Set<() => void>();
  const bump = () => {
    generation++;
    for (const listener of listeners) listener();
  };
  gallery.onFolderUpdate(bump);
  joined?.onChange(bump);

  const build = (): PartTable => {
    const entries = entriesInPathOrder(gallery);
    const columns = galleryColumns(entries);
    if (joined) {
      const { table } = joined.current();
      const rows = Int32Array.from(entries, (e) => rowOf(table, e.path) ?? -1);
      matched = rows.reduce((sum, r) => sum + (r >= 0 ? 1 : 0), 0);
      for (const [name, column] of table.columns) {
        if (name === table.path_column) continue;
        const at = columns.findIndex((c) => c.name === name);
        if (at >= 0) columns.splice(at, 1);
        columns.push(gatherColumn(name, [{ column, rows }]));
      }
    }
    const table = createTable(
      { row_count: entries.length, columns, unsupported: [] },
      { file: 'gallery', format: 'jsonl', path_column: ITEM_COLUMN },
    );
    const has = (name: string) => (table.columns.get(name)?.kind === 'number' ? name : null);
    const fromTable = new Set(joined ? joined.current().table.columns.keys() : []);
    return {
      table,
      known: { width: has('width'), height: has('height'), added: has('added'), size: has('size') },
      gallery_fields: new Set(GALLERY_FIELDS.filter((name) => !fromTable.has(name))),
    };
  };

  return {
    generation: () => generation,
    build() {
      if (built?.generation !== generation) built = { generation, part: build() };
      return built.part;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    tables: (): JoinedTable[] => (joined ? [{ source: joined, matched }] : []),
    sourceValue: () => null,
  };
}
