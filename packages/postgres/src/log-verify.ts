/**
 * `lenslet replay --store <url> --verify`: re-fold the whole log in the database from seq 1 and
 * check it against everything derived from it — every line's crc, shape and seq (gapless from
 * 1, equal to its row), record times never going back, the counter, each snapshot (equal to the
 * fold at its seq), the idempotency keys (each names its record), and the state a replica starts
 * from (newest snapshot + the records after it) equal to the full fold. Reads only.
 * The report has the JSONL store's `VerifyReport` shape.
 */
import { type CanonicalPath, EMPTY_LABELS, evolve, isLabeled, type Labels } from '@lenslet/core';
import { decodeLine, type VerifyReport } from '@lenslet/store';
import type { Sql } from 'postgres';
import { rowPages, stateAtSeq } from './log-reads.ts';
import { logOrigin } from './schema.ts';
import { loadSnapshot } from './snapshots.ts';

/** The JSONL store's report, so `replay --verify` prints both the same way. */
export type LogVerifyReport = VerifyReport;

const MAX_LISTED = 5;

/** Labels as a string that does not depend on key order. */
function canonical(l: Labels | undefined): string {
  if (l === undefined) return 'none';
  const fv = l.field_versions;
  const metrics = Object.entries(l.metrics).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([
    l.star,
    l.tags,
    l.notes,
    metrics,
    l.version,
    l.updated_at,
    l.updated_by,
    fv.star,
    fv.notes,
    fv.tags,
  ]);
}

const same = (a: Labels | undefined, b: Labels | undefined) => canonical(a) === canonical(b);

function diff(
  a: ReadonlyMap<CanonicalPath, Labels>,
  b: ReadonlyMap<CanonicalPath, Labels>,
): CanonicalPath[] {
  const out: CanonicalPath[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    if (!same(a.get(path), b.get(path))) out.push(path);
  }
  return out;
}

export async function verifyLog(sql: Sql): Promise<LogVerifyReport> {
  const checks: string[] = [];
  const problems: string[] = [];
  const problem = (line: string) => {
    if (problems.length < MAX_LISTED) problems.push(line);
    else if (problems.length === MAX_LISTED) problems.push('(more problems not listed)');
  };
  const snapshots = (await sql`SELECT seq, items, chunks FROM lenslet_snapshots ORDER BY seq`).map(
    (r) => ({ seq: Number(r.seq), items: Number(r.items), chunks: Number(r.chunks) }),
  );
  const pending = [...snapshots];
  const items = new Map<CanonicalPath, Labels>();
  // A log continuing an imported original workspace starts past its event ids (schema.ts v3).
  const origin = await logOrigin(sql);
  let last = origin;
  let lastAt = '';
  const compareSnapshots = async (seq: number) => {
    while (pending[0] && pending[0].seq <= seq) {
      const snapshot = pending.shift()!;
      if (snapshot.seq !== seq) continue;
      const stored = new Map<CanonicalPath, Labels>();
      await loadSnapshot(sql, snapshot, stored);
      const wrong = diff(stored, items);
      if (wrong.length === 0)
        checks.push(`snapshot at seq ${seq}: ${stored.size} items equal the fold`);
      else
        problem(
          `snapshot at seq ${seq} differs from the fold on ${wrong.length} items, e.g. ${wrong[0]}`,
        );
    }
  };
  await compareSnapshots(0);
  for await (const rows of rowPages(sql, 0)) {
    for (const row of rows) {
      const seq = Number(row.seq);
      const decoded = decodeLine(row.line, seq);
      if (!decoded.ok) {
        problem(`lenslet_log row ${seq}: ${decoded.problem}`);
        continue;
      }
      const { record } = decoded;
      if (record.seq !== seq) problem(`lenslet_log row ${seq} holds a line with seq ${record.seq}`);
      if (seq !== last + 1) problem(`seqs jump from ${last} to ${seq}`);
      if (record.at < lastAt) problem(`record ${seq} is dated ${record.at}, before record ${last}`);
      items.set(record.path, evolve(items.get(record.path) ?? EMPTY_LABELS, record));
      last = seq;
      lastAt = record.at;
      await compareSnapshots(seq);
    }
  }
  const [counter] = await sql`SELECT seq FROM lenslet_head WHERE id = 1`;
  const head = Number(counter?.seq ?? 0);
  if (head !== last) problem(`the counter says ${head} but the last record is ${last}`);
  else
    checks.push(
      `seqs ${origin + 1}–${last}: every line's crc, shape and seq, gapless, times in order`,
    );
  for (const snapshot of pending) problem(`snapshot at seq ${snapshot.seq} is beyond the log`);
  const [keys] = await sql`
    SELECT count(*)::bigint AS bad FROM lenslet_keys k LEFT JOIN lenslet_log l ON l.seq = k.seq
    WHERE l.mutation_id IS DISTINCT FROM k.mutation_id OR l.path IS DISTINCT FROM k.path`;
  if (Number(keys?.bad ?? 0) > 0) problem(`${keys?.bad} idempotency keys name no matching record`);
  else checks.push('every remembered idempotency key names its record');
  const recovered = await stateAtSeq(sql, last);
  const wrong = diff(recovered.items, items);
  if (wrong.length === 0)
    checks.push('a replica starting now (snapshot + tail) gets the full fold');
  else
    problem(`a replica would start with other labels on ${wrong.length} items, e.g. ${wrong[0]}`);
  let labeled = 0;
  for (const labels of items.values()) if (isLabeled(labels)) labeled += 1;
  return {
    ok: problems.length === 0,
    head: last,
    oldest_seq: 1,
    items: items.size,
    labeled,
    snapshot_seq: snapshots.at(-1)?.seq ?? null,
    files: ['lenslet_log', 'lenslet_keys', 'lenslet_snapshots'],
    checks,
    problems,
  };
}
