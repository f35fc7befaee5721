/**
 * Load for the failure tests: writers that each loop over their own requests; a request that
 * fails is retried with the same Idempotency-Key until it is acknowledged (as a client would).
 * Records every acknowledgement and every failure (code, how long the caller waited).
 */
import { encodeRecord } from '@lenslet/store';
import postgres from 'postgres';
import { expect } from 'vitest';
import type { PostgresStore } from './postgres-store.ts';
import { p } from './test-support.ts';

/** An acknowledged write: its seq, and its line unless it was a retry answered from the original. */
export type Ack = {
  readonly mutation_id: string;
  readonly seq: number;
  readonly line: string | null;
  readonly at: number;
};
export type Failure = { readonly code: string; readonly ms: number; readonly at: number };

export type Load = {
  readonly acks: Ack[];
  readonly failures: Failure[];
  stop(): Promise<void>;
};

export function startLoad(store: PostgresStore, writers: number, tag: string): Load {
  const acks: Ack[] = [];
  const failures: Failure[] = [];
  let running = true;
  const writer = async (id: number) => {
    for (let n = 0; running; n++) {
      const mutation_id = `${tag}-${id}-${n}`;
      const entry = {
        path: p(`/load/w${id}-${n % 20}.jpg`),
        patch: { set_metrics: { [`m${n % 5}`]: n } },
      };
      for (;;) {
        const started = Date.now();
        try {
          const result = await store.apply(entry, {
            actor: `w${id}`,
            mutation_id,
            mode: 'metrics',
          });
          // A retry whose first attempt did commit (its answer was a 503) is answered from the
          // original record: replayed, with that record's seq.
          expect(result.record !== null || result.replayed).toBe(true);
          acks.push({
            mutation_id,
            seq: result.seq,
            line: result.record ? encodeRecord(result.record) : null,
            at: Date.now(),
          });
          break;
        } catch (error) {
          failures.push({
            code: (error as { code: string }).code,
            ms: Date.now() - started,
            at: Date.now(),
          });
          if (!running) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
  };
  const done = Promise.all(Array.from({ length: writers }, (_, id) => writer(id)));
  return {
    acks,
    failures,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

export async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The database at `url` holds every acknowledged record byte for byte, seqs are gapless from 1,
 * and no request was recorded twice.
 */
export async function expectAllAcknowledged(url: string, acks: readonly Ack[]): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ seq: string; mutation_id: string; line: string }[]>`
      SELECT seq, mutation_id, line FROM lenslet_log ORDER BY seq`;
    const [head] = await sql<{ seq: string }[]>`SELECT seq FROM lenslet_head`;
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(Number(head!.seq)).toBe(rows.length);
    const ids = rows.map((r) => r.mutation_id);
    expect(new Set(ids).size).toBe(ids.length);
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    const missing = acks.filter((a) => {
      const row = bySeq.get(a.seq);
      return row?.mutation_id !== a.mutation_id || (a.line !== null && row.line !== a.line);
    });
    expect(missing).toEqual([]);
    return rows.length;
  } finally {
    await sql.end();
  }
}
