/**
 * The SQL of one group commit, in two round trips on the writer's connection:
 *
 * 1. BEGIN; lock the counter row (FOR UPDATE, held until COMMIT); read the log rows after this
 *    process's head and the remembered keys of the group's mutation_ids. The reads are separate
 *    statements after the lock, so under READ COMMITTED their snapshot includes every commit made
 *    before the lock was granted: the caller decides against the whole log.
 * 2. Insert the records and their keys, move the counter, NOTIFY the new head, COMMIT.
 *
 * `confirmOutcome` settles a COMMIT whose answer was lost: under the counter lock (so the
 * transaction in doubt has ended) it reads the row at the group's first seq and compares the
 * line, then commits an empty update of the counter: that commit waits for the synchronous
 * standby, so a "yes" also means the record is on the standby.
 */
import type { LabelRecord } from '@lenslet/core';
import { encodeRecord, type IdempotencyEntry, modeOf } from '@lenslet/store';
import type { ReservedSql } from 'postgres';
import { decodeRows, type LogRow } from './log-rows.ts';

export const LOG_CHANNEL = 'lenslet_log';

export type LockedView = {
  /** The counter: the database's head. */
  readonly head: number;
  /** Records after the caller's head. */
  readonly tail: LabelRecord[];
  /** Remembered keys of the group's mutation_ids, in seq order. */
  readonly keys: IdempotencyEntry[];
};

type KeyRow = {
  mutation_id: string;
  path: string;
  mode: string;
  fp: string;
  seq: string | number;
  at_ms: string | number;
};

export async function lockAndRead(
  tx: ReservedSql,
  after: number,
  mutationIds: readonly string[],
): Promise<LockedView> {
  const [, locked, tail, keys] = await tx.batch([
    tx`BEGIN`,
    tx`SELECT seq FROM lenslet_head WHERE id = 1 FOR UPDATE`,
    tx`SELECT seq, line FROM lenslet_log WHERE seq > ${after} ORDER BY seq`,
    tx`SELECT mutation_id, path, mode, fp, seq, at_ms FROM lenslet_keys
       WHERE mutation_id = ANY(${mutationIds as string[]}::text[]) ORDER BY seq`,
  ]);
  return {
    head: Number((locked as unknown as { seq: string }[])[0]?.seq ?? 0),
    tail: decodeRows(tail as unknown as LogRow[]),
    keys: (keys as unknown as KeyRow[]).map((row) => ({
      key: row.mutation_id,
      mode: modeOf(row.fp),
      path: row.path as LabelRecord['path'],
      fp: row.fp,
      seq: Number(row.seq),
      at_ms: Number(row.at_ms),
    })),
  };
}

/** Write `records` (consecutive seqs) and their keys, move the counter, notify, COMMIT. */
export async function writeAndCommit(
  tx: ReservedSql,
  records: readonly LabelRecord[],
  lines: readonly string[],
  atMs: number,
): Promise<void> {
  const seqs = records.map((r) => r.seq);
  const paths = records.map((r) => r.path as string);
  const keys = records.map((r) => r.mutation_id);
  const head = seqs.at(-1)!;
  await tx.batch([
    tx`INSERT INTO lenslet_log (seq, path, mutation_id, line)
       SELECT * FROM unnest(${seqs}::bigint[], ${paths}::text[], ${keys}::text[], ${lines as string[]}::text[])`,
    tx`INSERT INTO lenslet_keys (mutation_id, path, mode, fp, seq, at_ms)
       SELECT k, p, split_part(f, ':', 1), f, s, ${atMs}::bigint
       FROM unnest(${keys}::text[], ${paths}::text[], ${records.map((r) => r.fp)}::text[], ${seqs}::bigint[]) AS t(k, p, f, s)`,
    tx`UPDATE lenslet_head SET seq = ${head} WHERE id = 1`,
    tx`SELECT pg_notify(${LOG_CHANNEL}, ${String(head)})`,
    tx`COMMIT`,
  ]);
}

/** True when the group whose first record is `first` is committed (and on the sync standby). */
export async function confirmOutcome(tx: ReservedSql, first: LabelRecord): Promise<boolean> {
  const [, , rows] = await tx.batch([
    tx`BEGIN`,
    tx`SELECT seq FROM lenslet_head WHERE id = 1 FOR UPDATE`,
    tx`SELECT line FROM lenslet_log WHERE seq = ${first.seq} AND mutation_id = ${first.mutation_id}`,
    tx`UPDATE lenslet_head SET seq = seq WHERE id = 1`,
    tx`COMMIT`,
  ]);
  const line = (rows as unknown as { line: string }[])[0]?.line;
  return line === encodeRecord(first);
}

/** Commit an empty update of the counter: proves the database takes durable writes again. */
export async function probeCommit(tx: ReservedSql): Promise<void> {
  await tx.batch([tx`BEGIN`, tx`UPDATE lenslet_head SET seq = seq WHERE id = 1`, tx`COMMIT`]);
}
