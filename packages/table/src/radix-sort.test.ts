import fc from 'fast-check';
import { expect, test } from 'vitest';
import { sortRowsByKey, sortRowsByText } from './radix-sort.ts';

/** The order a comparator sort gives: by value, NaN last, ties by position in `rows`. */
function naive(rows: number[], key: number[], descending: boolean): number[] {
  const at = new Map(rows.map((r, i) => [r, i]));
  return [...rows].sort((x, y) => {
    const a = key[x]!;
    const b = key[y]!;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (Number.isNaN(a) && Number.isNaN(b)) return at.get(x)! - at.get(y)!;
      return Number.isNaN(a) ? 1 : -1;
    }
    if (a !== b) return descending ? b - a : a - b;
    return at.get(x)! - at.get(y)!;
  });
}

test('radix order equals a comparator sort: NaN last both ways, ties keep the given order', () => {
  const value = fc.oneof(
    fc.double(),
    fc.constantFrom(0, -0, 1, -1, 2.5, Number.NaN, Infinity, -Infinity, 1e-310, -1e300),
  );
  fc.assert(
    fc.property(
      fc.array(value, { maxLength: 200 }),
      fc.boolean(),
      fc.integer(),
      (key, descending, seed) => {
        const rows = key.map((_, i) => i);
        for (let i = rows.length - 1; i > 0; i--) {
          const j = Math.abs(seed * (i + 7)) % (i + 1);
          [rows[i], rows[j]] = [rows[j]!, rows[i]!];
        }
        const got = [...sortRowsByKey(Uint32Array.from(rows), Float64Array.from(key), descending)];
        expect(got).toEqual(naive(rows, key, descending));
      },
    ),
    { numRuns: 300 },
  );
});

test('a subset of rows is sorted without touching the others', () => {
  const key = Float64Array.from([5, 4, 3, 2, 1]);
  expect([...sortRowsByKey(Uint32Array.from([4, 0, 2]), key, false)]).toEqual([4, 2, 0]);
});

test('text order: code-unit comparison, missing last, ties by given order', () => {
  const text = ['b', null, 'a', 'b', 'B'];
  expect([...sortRowsByText(Uint32Array.from([0, 1, 2, 3, 4]), (r) => text[r]!, false)]).toEqual([
    4, 2, 0, 3, 1,
  ]);
  expect([...sortRowsByText(Uint32Array.from([3, 0, 1, 2, 4]), (r) => text[r]!, true)]).toEqual([
    3, 0, 2, 4, 1,
  ]);
});

test('text order with a tie-breaker: ties and missing rows follow it, not the given order', () => {
  const text = ['b', null, 'a', 'b', null];
  const tie = (a: number, b: number) => b - a;
  expect([
    ...sortRowsByText(Uint32Array.from([0, 1, 2, 3, 4]), (r) => text[r]!, false, tie),
  ]).toEqual([2, 3, 0, 4, 1]);
});
