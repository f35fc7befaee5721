import { expect, test } from 'vitest';
import { RandomHex } from './random-hex.ts';

test('every id has the asked length in hex and no two of many are equal (pool refills included)', () => {
  const pool = new RandomHex();
  const ids = Array.from({ length: 2_000 }, () => pool.next(16));
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(new Set(ids).size).toBe(ids.length);
  // Bytes are not reused across refills: a long run of 1-byte ids still looks uniform.
  const counts = new Map<string, number>();
  for (let i = 0; i < 25_600; i++) {
    const b = pool.next(1);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  expect(counts.size).toBe(256);
  expect(Math.max(...counts.values())).toBeLessThan(200);
});

test('sizes outside 1–4096 bytes are refused', () => {
  const pool = new RandomHex();
  expect(() => pool.next(0)).toThrow(RangeError);
  expect(() => pool.next(4097)).toThrow(RangeError);
  expect(pool.next(4096)).toHaveLength(8192);
});
