import type { CanonicalPath, LabelRecord } from '@lenslet/core';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { GroupBuffer } from './group-buffer.ts';
import { frameGroup } from './group-frame.ts';
import { encodeRecord } from './jsonl-codec.ts';

/** Any UTF-16 text (lone surrogates, quotes, control characters and astral ones included). */
const text = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom('binary', 'grapheme'), minLength: min, maxLength: max });

const labelRecord: fc.Arbitrary<LabelRecord> = fc
  .record({
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    actor: text(1, 12),
    path: text(1, 40).map((p) => `/${p}` as CanonicalPath),
    version: fc.integer({ min: 2, max: 2 ** 40 }),
    base: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
    mutation_id: text(1, 40),
    notes: text(0, 300),
    tags: fc.array(text(1, 10), { minLength: 1, maxLength: 3 }),
  })
  .map(
    ({ base, notes, tags, ...r }): LabelRecord => ({
      v: 1,
      ...r,
      at: '2026-12-06T11:00:00.000Z',
      ...(base === undefined ? {} : { base }),
      fp: 'patch:0123456789abcdef',
      changes: [
        { kind: 'notes_set', notes, from: '' },
        { kind: 'tags_added', tags },
      ],
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
    { numRuns: 300 },
  );
});

test('plain lines are copied as UTF-8', () => {
  const group = new GroupBuffer();
  group.line('é\n');
  group.line('{"x":1}\n');
  expect(group.lengths).toEqual([3, 8]);
  expect(group.framed(7).equals(frameGroup('é\n{"x":1}\n', 7))).toBe(true);
});
