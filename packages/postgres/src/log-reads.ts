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

/**
 * Raw rows with after < seq ≤ until, in pages of PAGE_ROWS. The next page is asked for as soon as
 * a page arrives, so the database reads it while the caller decodes this one.
 */
export async function* rowPages(
  sql: Sql,
  after: number,
  until = Number.MAX_SAFE_INTEGER,
): AsyncIterable<LogRow[]> {
  const page = (from: number) =>
    sql<LogRow[]>`
      SELECT seq, line FROM lenslet_log WHERE seq > ${from} AND seq <= ${until}
      ORDER BY seq LIMIT ${PAGE_ROWS}`.execute();
  let pending: Promise<LogRow[]> | null = after < until ? page(after) : null;
  try {
    while (pending) {
      const rows = await pending;
      pending = rows.length === PAGE_ROWS ? page(Number(rows.at(-1)!.seq)) : null;
      if (rows.length > 0) yield rows;
    }
  } finally {
    // A caller that stops early leaves at most one page in flight; its outcome is not needed.
    pending?.catch(() => {});
  }
}

/** Records with after < seq ≤ until, decoded, in pages of PAGE_ROWS. */
export async function* pages(sql: Sql, after: number, until: number): AsyncIterable<LabelRecord[]> {
  for await (const rows of rowPages(sql, after, until)) yield decodeRows(rows);
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

/**
 * The last seq (≤ head) whose record is at or before `time` (0 when none is): a binary search
 * over seqs, as record times never go back (docs/format.md §1).
 */
export async function seqAtTime(sql: Sql, head: number, time: string): Promise<number> {
  let low = 0;
  let high = head;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const at = await recordTime(sql, middle);
    if (at !== null && at <= time) low = middle;
    else high = middle - 1;
  }
  return low;
}
