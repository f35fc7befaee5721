/**
 * Forgetting idempotency keys past the horizon the JSONL store keeps: a key is dropped only when
 * it is both older than IDEMPOTENCY_MIN_AGE_MS and more than IDEMPOTENCY_MIN_RECORDS records
 * behind the head (whichever keeps more).
 */

import { IDEMPOTENCY_MIN_AGE_MS, IDEMPOTENCY_MIN_RECORDS } from '@lenslet/store';
import type { Sql } from 'postgres';

/** Delete keys beyond the horizon; returns how many were dropped. */
export async function pruneKeys(sql: Sql, head: number, nowMs: number): Promise<number> {
  const rows = await sql`
    DELETE FROM lenslet_keys
    WHERE seq <= ${head - IDEMPOTENCY_MIN_RECORDS} AND at_ms <= ${nowMs - IDEMPOTENCY_MIN_AGE_MS}`;
  return rows.count;
}
