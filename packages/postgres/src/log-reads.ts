/**
 * Reads of the log table: keyset pages in seq order (replay, export), one image's records newest
 * first (history, by the (path, seq) index), and the state at a seq (the newest snapshot at or
 * before it plus the records after it, folded with core's `foldInto`).
 */
import {
  type CanonicalPath,
  foldInto,
  type LabelRecord,
  type LabelState,
  type Labels,
} from '@lenslet/core';
import type { Sql } from 'postgres';
import { decodeRows, type LogRow } from './log-rows.ts';
import { latestSnapshot, loadSnapshot } from './snapshots.ts';

export const PAGE_ROWS = 5_000;

/** Records with after < seq ≤ until, in pages of PAGE_ROWS. */
export async function* pages(sql: Sql, after: number, until: number): AsyncIterable<LabelRecord[]> {
  let cursor = after;
  while (cursor < until) {
    const rows = await sql<LogRow[]>`
      SELECT seq, line FROM lenslet_log WHERE seq > ${cursor} AND seq <= ${until}
      ORDER BY seq LIMIT ${PAGE_ROWS}`;
    if (rows.length === 0) return;
    const records = decodeRows(rows);
    yield records;
    cursor = records.at(-1)!.seq;
  }
}

/** One image's records with seq < before (and ≤ head), newest first. */
export async function historyOf(
  sql: Sql,
  path: CanonicalPath,
  before: number,
  limit: number | undefined,
): Promise<LabelRecord[]> {
  const rows =
    limit === undefined
      ? await sql<LogRow[]>`
          SELECT seq, line FROM lenslet_log WHERE path = ${path} AND seq < ${before}
          ORDER BY seq DESC`
      : await sql<LogRow[]>`
          SELECT seq, line FROM lenslet_log WHERE path = ${path} AND seq < ${before}
          ORDER BY seq DESC LIMIT ${limit}`;
  return decodeRows(rows);
}

/** The state as of `seq`: newest snapshot ≤ seq, then the records up to seq. */
export async function stateAtSeq(sql: Sql, seq: number): Promise<LabelState> {
  const items = new Map<CanonicalPath, Labels>();
  const snapshot = await latestSnapshot(sql, seq);
  if (snapshot) await loadSnapshot(sql, snapshot, items);
  let at = snapshot?.seq ?? 0;
  for await (const records of pages(sql, at, seq)) at = foldInto(items, records, at);
  return { seq: at, items };
}

/** `at` of the record with this seq (null when there is none). */
export async function recordTime(sql: Sql, seq: number): Promise<string | null> {
  if (seq <= 0) return null;
  const rows = await sql<LogRow[]>`SELECT seq, line FROM lenslet_log WHERE seq = ${seq}`;
  return rows.length > 0 ? decodeRows(rows)[0]!.at : null;
}
