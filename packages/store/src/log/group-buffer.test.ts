import type { CanonicalPath, Change, LabelRecord } from '@lenslet/core';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { GroupBuffer } from './group-buffer.ts';
import { frameGroup } from './group-frame.ts';
import { encodeRecord } from './jsonl-codec.ts';

/**
 * Any UTF-16 text (lone surrogates, quotes, control characters and astral ones included), or
 * printable ASCII as nearly every real name, path, key and tag is.
 */
const text = (min: number, max: number) =>
  fc.oneof(
    fc.string({ unit: fc.constantFrom('binary', 'grapheme'), minLength: min, maxLength: max }),
    fc.string({ minLength: min, maxLength: max }),
  );

const metricValue = fc.option(
  // Non-finite values never pass validation, but JSON writes them as null: so must the bytes.
  fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY)),
  { nil: null },
);
const metrics = fc.dictionary(text(1, 6), metricValue, { maxKeys: 3 });
const tags = fc.array(text(1, 10), { minLength: 1, maxLength: 3 });
const star = fc.option(fc.integer({ min: 0, max: 5 }), { nil: null });

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('star_set' as const), star, from: star }),
  fc.record({
    kind: fc.constant('notes_set' as const),
    notes: text(0, 300),
    from: text(0, 20),
  }),
  fc.record({ kind: fc.constant('tags_set' as const), tags, from: fc.array(text(1, 10)) }),
  fc.record({ kind: fc.constant('tags_added' as const), tags }),
  fc.record({ kind: fc.constant('tags_removed' as const), tags }),
  fc.record({ kind: fc.constant('metrics_set' as const), metrics, from: metrics }),
);

const labelRecord: fc.Arbitrary<LabelRecord> = fc
  .record({
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    actor: text(1, 12),
    path: text(1, 40).map((p) => `/${p}` as CanonicalPath),
    version: fc.integer({ min: 2, max: 2 ** 40 }),
    base: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
    mutation_id: text(1, 40),
    changes: fc.array(change, { minLength: 1, maxLength: 4 }),
  })
  .map(
    ({ base, ...r }): LabelRecord => ({
      v: 1,
      ...r,
      at: '2026-12-06T11:00:00.000Z',
      ...(base === undefined ? {} : { base }),
      fp: 'patch:0123456789abcdef',
    }),
  );

test('a group encoded into one buffer is byte for byte frameGroup of the encodeRecord lines', () => {
  fc.assert(
    fc.property(
      fc.array(labelRecord, { maxLength: 12 }),
      fc.integer({ min: 0, max: 10 ** 15 - 1 }),
      (records, durable) => {
        // A small first buffer, so that most groups grow it at least once.
        const group = new GroupBuffer(64);
        for (const record of records) group.record(record);
        const lines = records.map((r) => `${encodeRecord(r)}\n`);
        expect(group.bytes).toBe(Buffer.byteLength(lines.join('')));
        expect(group.lengths).toEqual(lines.map((l) => Buffer.byteLength(l)));
        if (records.length > 0) {
          expect(group.framed(durable).equals(frameGroup(lines.join(''), durable))).toBe(true);
        }
      },
    ),
    { numRuns: 1000 },
  );
});

test('plain lines are copied as UTF-8', () => {
  const group = new GroupBuffer();
  group.line('é\n');
  group.line('{"x":1}\n');
  expect(group.lengths).toEqual([3, 8]);
  expect(group.framed(7).equals(frameGroup('é\n{"x":1}\n', 7))).toBe(true);
});
