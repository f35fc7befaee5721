/**
 * Snapshots in the database, so a new replica loads the state at a seq plus the records after it
 * instead of folding the whole log. A snapshot is one `lenslet_snapshots` row and its chunks, all
 * written in one transaction (a snapshot is there whole or not at all). Each chunk is gzip of a
 * JSON array of items `[path, star, tags, notes, metrics, version, updated_at, updated_by,
 * field_versions.star, field_versions.notes, field_versions.tags]` — the item order of the JSONL
 * snapshot. The two newest snapshots are kept.
 */
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import { type CanonicalPath, type LabelState, type Labels, LensletError } from '@lenslet/core';
import type { Sql } from 'postgres';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);
const KEEP_SNAPSHOTS = 2;
const CHUNKS_PER_READ = 4;

type ItemRow = [
  string,
  number | null,
  string[],
  string,
  Record<string, number>,
  number,
  string | null,
  string | null,
  number,
  number,
  number,
];

function toRow(path: CanonicalPath, l: Labels): ItemRow {
  const fv = l.field_versions;
  return [
    path,
    l.star,
    l.tags as string[],
    l.notes,
    l.metrics as Record<string, number>,
    l.version,
    l.updated_at,
    l.updated_by,
    fv.star,
    fv.notes,
    fv.tags,
  ];
}

function fromRow(row: ItemRow): [CanonicalPath, Labels] {
  const [path, star, tags, notes, metrics, version, updated_at, updated_by, s, n, t] = row;
  return [
    path as CanonicalPath,
    {
      star,
      tags,
      notes,
      metrics,
      version,
      updated_at,
      updated_by,
      field_versions: { star: s, notes: n, tags: t },
    },
  ];
}

export type SnapshotInfo = {
  readonly seq: number;
  readonly items: number;
  readonly chunks: number;
};

/**
 * Save `state` (a copy nobody mutates) as the snapshot at `state.seq`. Returns false when a
 * snapshot at that seq exists already (another replica took it).
 */
export async function saveSnapshot(
  sql: Sql,
  state: LabelState,
  chunkItems: number,
  now: string,
): Promise<boolean> {
  const chunks: Buffer[] = [];
  let rows: ItemRow[] = [];
  for (const [path, labels] of state.items) {
    rows.push(toRow(path, labels));
    if (rows.length >= chunkItems) {
      chunks.push(await gzip(JSON.stringify(rows), { level: 1 }));
      rows = [];
    }
  }
  if (rows.length > 0 || chunks.length === 0) {
    chunks.push(await gzip(JSON.stringify(rows), { level: 1 }));
  }
  return sql.begin(async (tx) => {
    const inserted = await tx`
      INSERT INTO lenslet_snapshots (seq, created_at, items, chunks)
      VALUES (${state.seq}, ${now}, ${state.items.size}, ${chunks.length})
      ON CONFLICT (seq) DO NOTHING RETURNING seq`;
    if (inserted.length === 0) return false;
    for (let i = 0; i < chunks.length; i++) {
      await tx`INSERT INTO lenslet_snapshot_chunks (seq, chunk, body) VALUES (${state.seq}, ${i}, ${chunks[i]!})`;
    }
    await tx`DELETE FROM lenslet_snapshots WHERE seq < (
      SELECT min(seq) FROM (SELECT seq FROM lenslet_snapshots ORDER BY seq DESC LIMIT ${KEEP_SNAPSHOTS}) AS newest)`;
    return true;
  });
}

/** The newest snapshot at or before `seq`, or null. */
export async function latestSnapshot(
  sql: Sql,
  seq = Number.MAX_SAFE_INTEGER,
): Promise<SnapshotInfo | null> {
  const [row] = await sql`
    SELECT seq, items, chunks FROM lenslet_snapshots WHERE seq <= ${seq} ORDER BY seq DESC LIMIT 1`;
  return row
    ? { seq: Number(row.seq), items: Number(row.items), chunks: Number(row.chunks) }
    : null;
}

/** Load a snapshot's items into `items`; checks that every chunk and item is there. */
export async function loadSnapshot(
  sql: Sql,
  info: SnapshotInfo,
  items: Map<CanonicalPath, Labels>,
): Promise<void> {
  let loaded = 0;
  for (let first = 0; first < info.chunks; first += CHUNKS_PER_READ) {
    const rows = await sql<{ chunk: number; body: Buffer }[]>`
      SELECT chunk, body FROM lenslet_snapshot_chunks
      WHERE seq = ${info.seq} AND chunk >= ${first} AND chunk < ${first + CHUNKS_PER_READ}
      ORDER BY chunk`;
    const expected = Math.min(CHUNKS_PER_READ, info.chunks - first);
    if (rows.length !== expected) {
      throw new LensletError('corrupt_snapshot', `snapshot ${info.seq} misses chunks`);
    }
    for (const row of rows) {
      const parsed = JSON.parse((await gunzip(row.body)).toString('utf8')) as ItemRow[];
      for (const item of parsed) {
        const [path, labels] = fromRow(item);
        items.set(path, labels);
      }
      loaded += parsed.length;
    }
  }
  if (loaded !== info.items) {
    throw new LensletError(
      'corrupt_snapshot',
      `snapshot ${info.seq} holds ${loaded} items, its header says ${info.items}`,
    );
  }
}
