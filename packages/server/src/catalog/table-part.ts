/**
 * A served table as a catalog part: the table's columns, plus the file facts it lacks as number
 * columns (`size`, `added` from the file's mtime, `width`/`height` from its header), rebuilt when
 * the table is reloaded or its files have all been checked. Under a prefix (dataset mode) the
 * item paths are prefixed (a new index; the image column is left out).
 */
import { ROOT_PATH } from '@lenslet/core';
import { createTable, type NumberColumn, type Table } from '@lenslet/table';
import {
  type CatalogPart,
  ITEM_COLUMN,
  type KnownFields,
  numberColumn,
  type PartTable,
  withNumberColumns,
} from './part.ts';
import type { TableGallery } from './table-gallery.ts';

/** A free column name: `name`, else `@name` (internal). */
function freeName(table: Table, name: string): string {
  return table.columns.has(name) ? `@${name}` : name;
}

function build(gallery: TableGallery): PartTable {
  const { table, facts } = gallery.source.current();
  const known = table.well_known;
  const extra: NumberColumn[] = [];
  const pick = (
    existing: string | undefined,
    name: string,
    values: Float64Array | undefined,
    temporal = false,
  ) => {
    if (existing !== undefined) return existing;
    if (values === undefined) return null;
    const column = numberColumn(freeName(table, name), values, temporal);
    extra.push(column);
    return column.name;
  };
  const names: KnownFields = {
    width: pick(known.width, 'width', facts?.width),
    height: pick(known.height, 'height', facts?.height),
    added: pick(known.mtime, 'added', facts?.mtime, true),
    size: pick(known.size, 'size', facts?.size),
  };
  const prefix = gallery.source.options.prefix;
  const gallery_fields = new Set(extra.map((c) => c.name));
  if (prefix === ROOT_PATH)
    return { table: withNumberColumns(table, extra), known: names, gallery_fields };
  const columns = [
    {
      kind: 'text' as const,
      name: ITEM_COLUMN,
      values: table.paths.map((p) => `${prefix.slice(1)}${p}`),
      missing_count: 0,
    },
    ...[...table.columns.values()].filter((c) => c.name !== table.path_column),
    ...extra,
  ];
  const prefixed = createTable(
    { row_count: table.row_count, columns, unsupported: table.unsupported },
    { file: table.file, format: table.format, path_column: ITEM_COLUMN },
  );
  return { table: prefixed, known: names, gallery_fields };
}

export function createTablePart(gallery: TableGallery): CatalogPart {
  const { source } = gallery;
  let generation = 1;
  let built: { generation: number; part: PartTable } | null = null;
  const listeners = new Set<() => void>();
  source.onChange(() => {
    generation++;
    for (const listener of listeners) listener();
  });
  return {
    generation: () => generation,
    build() {
      if (built?.generation !== generation) built = { generation, part: build(gallery) };
      return built.part;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    tables: () => [{ source, matched: null }],
    sourceValue: (path) => gallery.sourceValue(path),
  };
}
