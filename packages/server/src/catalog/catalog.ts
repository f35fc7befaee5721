/**
 * The catalog: everything served (folders, tables, both) as one engine table, so every query —
 * folder mode or table mode, either dialect — runs through the one table engine. Parts report
 * changes (a folder update, a table reload, a table's files checked); the catalog's generation
 * then moves on and the next `view()` rebuilds the engine table (lazily: a burst of changes costs
 * one rebuild, and no query pays for a change it did not wait for). One part is served as is;
 * several (dataset mode mixing folders and tables) are laid end to end, built-in fields gathered
 * under one name. After each rebuild the engine's first-query caches (path order, search
 * haystacks) are warmed in the background.
 */
import type { CanonicalPath, TableUpdated } from '@lenslet/core';
import {
  type Column,
  createTable,
  createTableEngine,
  type GatherSegment,
  gatherColumn,
  type TableEngine,
} from '@lenslet/table';
import {
  type CatalogPart,
  ITEM_COLUMN,
  type JoinedTable,
  type KnownFields,
  type PartTable,
} from './part.ts';

export type CatalogView = {
  readonly generation: number;
  readonly engine: TableEngine;
  readonly known: KnownFields;
  readonly gallery_fields: ReadonlySet<string>;
};

export interface Catalog {
  /** The current view (rebuilt first when a part changed since the last one). */
  view(): CatalogView;
  /** Changes whenever any part changes (before the view is rebuilt). */
  generation(): number;
  tables(): readonly JoinedTable[];
  /** Reloads of any table (and failed reloads). Returns unsubscribe. */
  onTableUpdate(listener: (update: TableUpdated) => void): () => void;
  sourceValue(path: CanonicalPath): string | null;
  /** Resolves when the background warm-up of the current view is done. */
  warmed(): Promise<void>;
}

const BUILT_IN = ['width', 'height', 'added', 'size'] as const;

function concat(parts: readonly PartTable[]): PartTable {
  const rowsOf = (p: PartTable) => Int32Array.from({ length: p.table.row_count }, (_, r) => r);
  const ranges = parts.map(rowsOf);
  const columns: Column[] = [
    {
      kind: 'text',
      name: ITEM_COLUMN,
      values: parts.flatMap((p) => p.table.paths.map((path) => path.slice(1))),
      missing_count: 0,
    },
  ];
  const skip = new Set<string>([ITEM_COLUMN]);
  const known: Record<string, string | null> = {};
  for (const name of BUILT_IN) {
    const segments: GatherSegment[] = parts.map((p, i) => {
      const source = p.known[name];
      return {
        column: source === null ? undefined : p.table.columns.get(source),
        rows: ranges[i]!,
      };
    });
    if (segments.every((s) => s.column === undefined)) {
      known[name] = null;
      continue;
    }
    columns.push(gatherColumn(name, segments));
    known[name] = name;
    skip.add(name);
  }
  const names = new Set<string>();
  for (const p of parts)
    for (const name of p.table.columns.keys())
      if (name !== p.table.path_column && !skip.has(name) && !Object.values(p.known).includes(name))
        names.add(name);
  for (const name of names) {
    columns.push(
      gatherColumn(
        name,
        parts.map((p, i) => ({ column: p.table.columns.get(name), rows: ranges[i]! })),
      ),
    );
  }
  const total = parts.reduce((sum, p) => sum + p.table.row_count, 0);
  const gallery = new Set(parts.flatMap((p) => [...p.gallery_fields]));
  for (const name of BUILT_IN) if (known[name] !== null) gallery.add(name);
  const table = createTable(
    { row_count: total, columns, unsupported: parts.flatMap((p) => p.table.unsupported) },
    { file: 'catalog', format: 'jsonl', path_column: ITEM_COLUMN },
  );
  return { table, known: known as KnownFields, gallery_fields: gallery };
}

/** Fill the engine's first-query caches: path order, search haystacks, the default order. */
function warm(engine: TableEngine): void {
  engine.query({ scope: { folder: '/\u0000', recursive: false }, text: '\u0001', limit: 0 });
  engine.folders();
}

export function createCatalog(parts: readonly CatalogPart[]): Catalog {
  let generation = 1;
  let view: CatalogView | null = null;
  let warming: Promise<void> = Promise.resolve();
  for (const part of parts) part.onChange(() => generation++);

  const rebuild = (): CatalogView => {
    const built = parts.map((p) => p.build());
    const { table, known, gallery_fields } = built.length === 1 ? built[0]! : concat(built);
    const engine = createTableEngine(table);
    const next = { generation, engine, known, gallery_fields };
    warming = new Promise((resolve) => {
      setTimeout(() => {
        if (view === next) warm(engine);
        resolve();
      }, 0).unref?.();
    });
    return next;
  };

  return {
    view() {
      if (view?.generation !== generation) view = rebuild();
      return view;
    },
    generation: () => generation,
    tables: () => parts.flatMap((p) => p.tables()),
    onTableUpdate(listener) {
      const offs = parts.flatMap((p) => p.tables().map((t) => t.source.onUpdate(listener)));
      return () => {
        for (const off of offs) off();
      };
    },
    sourceValue(path) {
      for (const part of parts) {
        const value = part.sourceValue(path);
        if (value !== null) return value;
      }
      return null;
    },
    warmed: () => warming,
  };
}
