import fc from 'fast-check';
import { expect, test } from 'vitest';
import { orderByKey } from './key-order.ts';

/** By key (NaN last in both directions, -0 as 0), then by path: a plain comparator sort. */
function naive(key: number[], paths: string[], descending: boolean): number[] {
  return key
    .map((_, r) => r)
    .sort((x, y) => {
      const a = key[x]!;
      const b = key[y]!;
      if (Number.isNaN(a) !== Number.isNaN(b)) return Number.isNaN(a) ? 1 : -1;
      if (!Number.isNaN(a) && a !== b) return (a < b ? -1 : 1) * (descending ? -1 : 1);
      return paths[x]! < paths[y]! ? -1 : 1;
    });
}

test('rows by key then path, whether ties are rare (runs sorted) or common (path order)', () => {
  const rare = fc.oneof(
    { weight: 12, arbitrary: fc.double({ noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, 0, -0, 1) },
  );
  const common = fc.constantFrom(0, -0, 1, 2, Number.NaN);
  fc.assert(
    fc.property(
      fc.oneof(fc.array(rare, { maxLength: 200 }), fc.array(common, { maxLength: 200 })),
      fc.boolean(),
      fc.integer({ min: 1 }),
      (key, descending, seed) => {
        // Unique paths in an order unrelated to the rows'.
        const paths = key.map(
          (_, r) => `/d${(r * seed) % 7}/img_${(r * 7919 + seed) % 10007}_${r}.jpg`,
        );
        let built = 0;
        const pathOrder = () => {
          built++;
          return Uint32Array.from(
            naive(
              key.map(() => 0),
              paths,
              false,
            ),
          );
        };
        const got = [...orderByKey(Float64Array.from(key), paths, descending, pathOrder)];
        expect(got).toEqual(naive(key, paths, descending));
        expect(built).toBeLessThanOrEqual(1);
      },
    ),
    { numRuns: 300 },
  );
});

test('rare ties never build the full path order', () => {
  const key = Float64Array.from({ length: 1000 }, (_, r) => (r % 10 === 0 ? Number.NaN : r * 0.5));
  const paths = Array.from(key, (_, r) => `/p/${String(999 - r).padStart(4, '0')}.jpg`);
  const order = orderByKey(key, paths, true, () => {
    throw new Error('path order built');
  });
  expect(order[0]).toBe(999);
  // The missing rows last, in path order (row 990's path sorts before row 0's).
  expect([...order.subarray(900, 903)]).toEqual([990, 980, 970]);
});
