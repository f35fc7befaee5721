import type { CanonicalPath, LabelRecord } from '@lenslet/core';
import { expect, test } from 'vitest';
import {
  IDEMPOTENCY_MIN_AGE_MS,
  IDEMPOTENCY_MIN_RECORDS,
  type IdempotencyEntry,
} from '../index/idempotency.ts';
import { TailFold } from './tail-fold.ts';

const NOW = Date.UTC(2026, 5, 1);

/** `count` records; the first `old` of them older than the idempotency age limit. */
function records(count: number, old: number): LabelRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    v: 1 as const,
    seq: i + 1,
    at: new Date(NOW - (i < old ? IDEMPOTENCY_MIN_AGE_MS + 3_600_000 : 1000) + i).toISOString(),
    actor: 'ana',
    path: `/p-${i % 97}.jpg` as CanonicalPath,
    version: Math.floor(i / 97) + 2,
    mutation_id: `k-${i}`,
    fp: 'patch:0',
    changes: [{ kind: 'star_set' as const, star: i % 6, from: null }],
  }));
}

function fold(all: LabelRecord[], endHint: number | null, ringSize: number) {
  const added: IdempotencyEntry[] = [];
  const tail = new TailFold(
    { seq: 0, items: new Map() },
    {
      idempotency: { add: (e) => added.push(e), check: () => ({ kind: 'new' }) },
      ringSize,
      nowMs: NOW,
      endHint,
    },
  );
  for (let i = 0; i < all.length; i += 1000) {
    const batch = all.slice(i, i + 1000);
    tail.add({ records: batch, offsets: batch.map((r) => r.seq * 100) });
  }
  const state = tail.state();
  return {
    added: added.map((e) => e.seq),
    ring: tail.ring().map((c) => c.record.seq),
    state,
    held: tail.hintHeld(),
  };
}

test('with a right end hint the fold keeps exactly the same keys and ring as without', () => {
  const window = IDEMPOTENCY_MIN_RECORDS + 16_384;
  // [records, of which old]: short logs, logs around the windows, all old, all young, mixed.
  const cases = [
    [0, 0],
    [1, 0],
    [60, 60],
    [window - 1, 0],
    [window + 2_000, window + 2_000],
    [window + 2_000, 3_000],
    [window + 30_000, 40_000],
  ] as const;
  for (const [count, old] of cases) {
    const all = records(count, old);
    const plain = fold(all, null, 50);
    for (const hint of [count, count + 100]) {
      const hinted = fold(all, hint, 50);
      expect(hinted.held).toBe(true);
      expect(hinted.added).toEqual(plain.added);
      expect(hinted.state).toEqual(plain.state);
      // The ring is a cache: with the hint it holds the newest records, maybe fewer of them.
      expect(hinted.ring).toEqual(plain.ring.slice(plain.ring.length - hinted.ring.length));
      expect(hinted.ring.length).toBeGreaterThanOrEqual(Math.min(count, 50) - 100);
      if (hint === count) expect(hinted.ring).toEqual(plain.ring);
    }
  }
});

test('a hint far past the real end says so, so recovery can fold again without it', () => {
  const all = records(IDEMPOTENCY_MIN_RECORDS + 30_000, IDEMPOTENCY_MIN_RECORDS + 30_000);
  const wrong = fold(all, all.length + 100_000, 10);
  expect(wrong.held).toBe(false);
  expect(wrong.added.length).toBeLessThan(IDEMPOTENCY_MIN_RECORDS);
  const right = fold(all, all.length, 10);
  expect(right.held).toBe(true);
  expect(right.added).toEqual(fold(all, null, 10).added);
  expect(right.added.length).toBe(IDEMPOTENCY_MIN_RECORDS);
});
