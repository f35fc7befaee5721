/**
 * Checks of the label log in PostgreSQL after a failure test (support for the replica e2e tests):
 * seqs gapless from 1 and equal to the counter, no request recorded twice, and every write that
 * was answered 2xx in the log at the seq it was answered with, with its tag.
 */
import type { HttpAck } from '@lenslet/test-kit';
import postgres from 'postgres';
import { expect } from 'vitest';

/** Check the log at `url` against `acks`; returns the head. */
export async function expectEveryAck(url: string, acks: readonly HttpAck[]): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ seq: string; mutation_id: string; line: string }[]>`
      SELECT seq, mutation_id, line FROM lenslet_log ORDER BY seq`;
    const [head] = await sql<{ seq: string }[]>`SELECT seq FROM lenslet_head`;
    const seqs = rows.map((r) => Number(r.seq));
    expect(seqs, 'seqs are gapless from 1').toEqual(seqs.map((_, i) => i + 1));
    expect(Number(head!.seq), 'the counter is the last seq').toBe(rows.length);
    const ids = rows.map((r) => r.mutation_id);
    expect(new Set(ids).size, 'no request recorded twice').toBe(ids.length);
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    const missing = acks.filter((ack) => {
      const row = bySeq.get(ack.seq);
      return row?.mutation_id !== ack.key || !row.line.includes(`"${ack.tag}"`);
    });
    expect(missing, 'acknowledged writes missing from the log').toEqual([]);
    expect(new Set(acks.map((a) => a.key)).size, 'each key acknowledged once').toBe(acks.length);
    return rows.length;
  } finally {
    await sql.end();
  }
}

/** The image paths of a served gallery (through `/folders`). */
export async function galleryPaths(url: string): Promise<string[]> {
  const res = await fetch(`${url}/folders?path=/&recursive=true&limit=1000`);
  const body = (await res.json()) as { items: { path: string }[] };
  return body.items.map((item) => item.path);
}
