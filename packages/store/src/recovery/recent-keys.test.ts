import type { CanonicalPath } from '@lenslet/core';
import { expect, test } from 'vitest';
import { IDEMPOTENCY_MIN_AGE_MS, type IdempotencyLookup } from '../index/idempotency.ts';
import { IdempotencyTable } from '../index/idempotency-table.ts';
import { type KeyRecord, recentKeys } from './recent-keys.ts';
import { TailFold } from './tail-fold.ts';

const NOW = Date.UTC(2026, 5, 1);
const CUTOFF = new Date(NOW - IDEMPOTENCY_MIN_AGE_MS).toISOString();
const MODES = ['patch', 'put', 'bulk', 'metrics'];

/** `count` keys; those whose index is in `old` are older than the age limit. */
function keys(count: number, old: (i: number) => boolean): KeyRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    at: new Date(NOW - (old(i) ? IDEMPOTENCY_MIN_AGE_MS + 3_600_000 : 1000) + i).toISOString(),
    path: `/p-${i % 13}.jpg` as CanonicalPath,
    // Keys repeat (a bulk write names many paths under one key) and every mode occurs.
    mutation_id: `k-${Math.floor(i / 3)}`,
    fp: `${MODES[i % 4]}:${i % 7}`,
  }));
}

/** The two tables hold the same entries in the same slots (typed arrays compared as bytes). */
function expectSame(a: IdempotencyTable, b: IdempotencyTable): void {
  const bytes = (state: object): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(state).map(([name, value]) =>
        ArrayBuffer.isView(value)
          ? [name, Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')]
          : [name, typeof value === 'object' ? bytes(value as object) : value],
      ),
    );
  expect(a.size).toBe(b.size);
  expect(bytes(a.exportState())).toEqual(bytes(b.exportState()));
}

/** The same table, seen as an index that cannot hash ahead (the path of any other index). */
function plain(table: IdempotencyTable): IdempotencyLookup {
  return { add: (entry) => table.add(entry), check: (...args) => table.check(...args) };
}

test('held as hashes, the newest keys reach the table exactly as when held as strings', () => {
  const cases: [number, number, (i: number) => boolean][] = [
    [0, 5, () => false],
    [4, 5, () => false],
    [5, 5, (i) => i < 2],
    [23, 5, (i) => i % 3 === 0],
    [5_000, 3_000, (i) => i < 2_500],
    [5_000, 3_000, (i) => i % 2 === 1],
    [9_000, 1_500, () => true],
  ];
  for (const [count, capacity, old] of cases) {
    const hashed = new IdempotencyTable(() => null, 7);
    const strings = new IdempotencyTable(() => null, 7);
    const a = recentKeys(hashed, CUTOFF, capacity);
    const b = recentKeys(plain(strings), CUTOFF, capacity);
    for (const key of keys(count, old)) {
      a.push(key);
      b.push(key);
    }
    a.flush();
    b.flush();
    expectSame(hashed, strings);
  }
});

test('a fold into the store key table keeps what a fold into any other index keeps', () => {
  const records = keys(100_000 + 16_384 + 20_000, (i) => i < 30_000).map((key, i) => ({
    ...key,
    v: 1 as const,
    actor: 'ana',
    version: i + 2,
    changes: [{ kind: 'star_set' as const, star: i % 6, from: null }],
  }));
  for (const endHint of [null, records.length]) {
    const tables = [new IdempotencyTable(() => null, 3), new IdempotencyTable(() => null, 3)];
    for (const [i, table] of tables.entries()) {
      const fold = new TailFold(
        { seq: 0, items: new Map() },
        { idempotency: i === 0 ? table : plain(table), nowMs: NOW, endHint },
      );
      for (let at = 0; at < records.length; at += 4096) {
        const batch = records.slice(at, at + 4096);
        fold.add({ records: batch, offsets: batch.map((r) => r.seq) });
      }
      fold.state();
    }
    expect(tables[0]!.size).toBe(100_000 + 6_384);
    expectSame(tables[0]!, tables[1]!);
  }
});
