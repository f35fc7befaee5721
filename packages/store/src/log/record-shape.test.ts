import { recordSchema } from '@lenslet/core';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { isRecordShape } from './record-shape.ts';

const valid = fc.record({
  v: fc.constant(1),
  seq: fc.integer({ min: 1 }),
  at: fc
    .date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  actor: fc.string({ minLength: 1, maxLength: 256 }),
  path: fc.string().map((s) => `/${s}`),
  version: fc.integer({ min: 2 }),
  mutation_id: fc.string({ minLength: 1, maxLength: 256 }),
  fp: fc.string({ minLength: 1, maxLength: 128 }),
  changes: fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant('star_set'),
        star: fc.option(fc.integer({ min: 0, max: 5 })),
        from: fc.option(fc.integer({ min: 0, max: 5 })),
      }),
      fc.record({ kind: fc.constant('notes_set'), notes: fc.string(), from: fc.string() }),
      fc.record({
        kind: fc.constant('tags_set'),
        tags: fc.array(fc.string({ minLength: 1 })),
        from: fc.array(fc.string({ minLength: 1 })),
      }),
      fc.record({
        kind: fc.constantFrom('tags_added', 'tags_removed'),
        tags: fc.array(fc.string({ minLength: 1 }), { minLength: 1 }),
      }),
      fc.record({
        kind: fc.constant('metrics_set'),
        metrics: fc.dictionary(
          fc.string(),
          fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
        ),
        from: fc.dictionary(
          fc.string(),
          fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
        ),
      }),
    ),
    { minLength: 1, maxLength: 4 },
  ),
});

/** Valid records with one field replaced by an arbitrary JSON value, added, or removed. */
const mutated = fc.oneof(
  fc
    .tuple(
      valid,
      fc.constantFrom(
        'v',
        'seq',
        'at',
        'actor',
        'path',
        'version',
        'base',
        'mutation_id',
        'fp',
        'changes',
        'extra',
      ),
      fc.jsonValue(),
    )
    .map(([r, key, value]) => ({ ...r, [key]: value })),
  fc
    .tuple(
      valid,
      fc.constantFrom('v', 'seq', 'at', 'actor', 'path', 'version', 'mutation_id', 'fp', 'changes'),
    )
    .map(([r, key]) => {
      const copy: Record<string, unknown> = { ...r };
      delete copy[key];
      return copy;
    }),
  fc
    .tuple(
      valid,
      fc.nat(3),
      fc.constantFrom('kind', 'star', 'from', 'notes', 'tags', 'metrics', 'x'),
      fc.jsonValue(),
    )
    .map(([r, i, key, value]) => ({
      ...r,
      changes: r.changes.map((c, j) => (j === i ? { ...c, [key]: value } : c)),
    })),
  fc
    .tuple(
      valid,
      fc.constantFrom(
        '1999-02-29T00:00:00Z',
        '2024-02-29T23:59:59.1Z',
        '2024-13-01T00:00:00Z',
        '2024-01-01T00:00Z',
        '2024-01-01T24:00:00Z',
        '2024-01-01T00:00:00+00:00',
        '2024-01-01T00:00:60Z',
        '2024-04-31T00:00:00Z',
      ),
    )
    .map(([r, at]) => ({ ...r, at })),
  fc.jsonValue(),
);

test('the hand-written check accepts exactly what recordSchema accepts', () => {
  const seen = { accepted: 0, rejected: 0 };
  fc.assert(
    fc.property(fc.oneof(valid, mutated), (value) => {
      // Round-trip through JSON: the check only ever sees parsed log lines.
      const parsed = JSON.parse(JSON.stringify(value) ?? 'null');
      const expected = recordSchema.safeParse(parsed).success;
      expect(isRecordShape(parsed)).toBe(expected);
      seen[expected ? 'accepted' : 'rejected'] += 1;
    }),
    { numRuns: 5000 },
  );
  // Both sides of the boundary were exercised.
  expect(seen.accepted).toBeGreaterThan(1000);
  expect(seen.rejected).toBeGreaterThan(1000);
});

test('valid records are accepted', () => {
  fc.assert(
    fc.property(valid, (value) => isRecordShape(JSON.parse(JSON.stringify(value)))),
    { numRuns: 500 },
  );
});
