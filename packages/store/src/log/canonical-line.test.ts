import type { CanonicalPath, Change, LabelRecord } from '@lenslet/core';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { readCanonicalRecord } from './canonical-line.ts';
import {
  CRC_SUFFIX_BYTES,
  crcHex,
  decodeLineBytes,
  decodeParsedLine,
  encodeRecord,
} from './jsonl-codec.ts';

/** Printable ASCII without `"` and `\`: strings JSON.stringify writes as they are. */
const plain = (min = 0, max = 24) =>
  fc
    .array(fc.integer({ min: 0x20, max: 0x7e }), { minLength: min, maxLength: max })
    .map((codes) => String.fromCharCode(...codes).replace(/["\\]/g, 'x'));

const anyText = (min = 0, max = 24) =>
  fc.oneof(plain(min, max), fc.string({ unit: 'binary', minLength: min, maxLength: max }));

const segment = plain(1, 12).map((s) => s.replace(/\//g, '_').replace(/^\.\.?$/, 'dot'));
const path = fc
  .array(segment, { minLength: 1, maxLength: 4 })
  .map((s) => `/${s.join('/')}` as CanonicalPath);

const metrics = (text: fc.Arbitrary<string>) =>
  fc.dictionary(
    text.filter((k) => k !== '__proto__'),
    fc.option(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))),
    { maxKeys: 4 },
  );

const change = (text: (min?: number, max?: number) => fc.Arbitrary<string>) =>
  fc.oneof(
    fc.record({
      kind: fc.constant('star_set' as const),
      star: fc.option(fc.integer({ min: 0, max: 5 })),
      from: fc.option(fc.integer({ min: 0, max: 5 })),
    }),
    fc.record({ kind: fc.constant('notes_set' as const), notes: text(), from: text() }),
    fc.record({
      kind: fc.constant('tags_set' as const),
      tags: fc.array(text(1, 8), { maxLength: 4 }),
      from: fc.array(text(1, 8), { maxLength: 4 }),
    }),
    fc.record({
      kind: fc.constantFrom('tags_added' as const, 'tags_removed' as const),
      tags: fc.array(text(1, 8), { minLength: 1, maxLength: 4 }),
    }),
    fc.record({
      kind: fc.constant('metrics_set' as const),
      metrics: metrics(text(0, 8)),
      from: metrics(text(0, 8)),
    }),
  ) as fc.Arbitrary<Change>;

const record = (text: (min?: number, max?: number) => fc.Arbitrary<string>) =>
  fc
    .record({
      seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      at: fc
        .date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      actor: text(1, 16),
      path,
      version: fc.integer({ min: 2, max: 2 ** 40 }),
      base: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
      mutation_id: text(1, 32),
      fp: text(1, 24),
      changes: fc.array(change(text), { minLength: 1, maxLength: 3 }),
    })
    .map(({ base, ...r }): LabelRecord => {
      const { changes, mutation_id, fp, ...head } = r;
      return base === undefined
        ? { v: 1, ...head, mutation_id, fp, changes }
        : { v: 1, ...head, base, mutation_id, fp, changes };
    });

const lineOf = (body: Buffer) => Buffer.concat([body, Buffer.from(`,"crc":"${crcHex(body)}"}`)]);

/** Both ways of decoding a line agree: same verdict, same record, same key order. */
function expectSameDecoding(line: Buffer): void {
  const general = decodeParsedLine(line, 0, line.length, 1);
  const decoded = decodeLineBytes(line, 0, line.length, 1);
  expect(decoded.ok).toBe(general.ok);
  if (decoded.ok && general.ok) {
    expect(decoded.record).toEqual(general.record);
    expect(JSON.stringify(decoded.record)).toBe(JSON.stringify(general.record));
  } else expect(decoded).toEqual(general);
}

test('a line as encodeRecord writes it (plain text) is read by the fast path, equal to JSON.parse', () => {
  fc.assert(
    fc.property(record(plain), (r) => {
      const line = Buffer.from(encodeRecord(r));
      const fast = readCanonicalRecord(line, 0, line.length - CRC_SUFFIX_BYTES, undefined);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(JSON.parse(JSON.stringify(r)));
      expectSameDecoding(line);
    }),
    { numRuns: 2000 },
  );
});

test('any text (escapes, non-ASCII, lone surrogates) decodes the same either way', () => {
  fc.assert(
    fc.property(record(anyText), (r) => expectSameDecoding(Buffer.from(encodeRecord(r)))),
    { numRuns: 2000 },
  );
});

test('damaged bodies with a matching crc: the fast path never accepts what JSON.parse refuses', () => {
  const edit = fc.oneof(
    fc.record({
      op: fc.constant('set' as const),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({
      op: fc.constant('set' as const),
      at: fc.nat(),
      value: fc.constantFrom(...Buffer.from('{}[],:"\\ 0159-.eE+nul')),
    }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), value: fc.constant(0) }),
    fc.record({
      op: fc.constant('insert' as const),
      at: fc.nat(),
      value: fc.constantFrom(...Buffer.from('{}[],:"\\ 05-.eE')),
    }),
  );
  fc.assert(
    fc.property(record(plain), fc.array(edit, { minLength: 1, maxLength: 3 }), (r, edits) => {
      const text = encodeRecord(r);
      let body = [...Buffer.from(text.slice(0, text.length - CRC_SUFFIX_BYTES))];
      for (const { op, at, value } of edits) {
        const i = at % (body.length + (op === 'insert' ? 1 : 0));
        if (op === 'set') body[i] = value;
        else if (op === 'delete') body.splice(i, 1);
        else body.splice(i, 0, value);
        if (body.length === 0) body = [0x7b];
      }
      expectSameDecoding(lineOf(Buffer.from(body)));
    }),
    { numRuns: 5000 },
  );
});

test('fields the pinned form writes differently take the general path with the same result', () => {
  const base =
    '{"v":1,"seq":7,"at":"2026-01-01T00:00:00.000Z","actor":"ana","path":"/a.jpg","version":2,"mutation_id":"k","fp":"patch:1"';
  const star = '"changes":[{"kind":"star_set","star":3,"from":null}]';
  // [body, a valid record?, read by the fast path?]
  const cases: [string, boolean, boolean][] = [
    [`${base},${star}`, true, true],
    [`${base},"changes":[{"kind":"star_set","from":null,"star":3}]`, true, false],
    [`${base.replace('"seq":7', '"seq":7.0')},${star}`, true, false],
    [`${base.replace('"seq":7', '"seq":07')},${star}`, false, false],
    [`${base.replace('"seq":7', '"seq":0')},${star}`, false, false],
    [`${base.replace('"ana"', '"a\\u006ea"')},${star}`, true, false],
    [`${base.replace('/a.jpg', '/a/../b.jpg')},${star}`, false, false],
    [`${base.replace('00.000Z', '00Z')},${star}`, true, true],
    [`${base.replace('01T', '32T')},${star}`, false, false],
    [`${base},"changes":[{"kind":"star_set","star":6,"from":null}]`, false, false],
    [`${base},"changes":[{"kind":"tags_added","tags":[]}]`, false, false],
    [`${base},"changes":[{"kind":"tags_added","tags":[""]}]`, false, false],
    [`${base},"changes":[{"kind":"metrics_set","metrics":{"__proto__":1},"from":{}}]`, true, false],
    [`${base},"changes":[{"kind":"metrics_set","metrics":{"a":1e400},"from":{}}]`, false, false],
    [
      `${base},"changes":[{"kind":"metrics_set","metrics":{"a":-0.5e-3,"b":null},"from":{"a":1}}]`,
      true,
      true,
    ],
    [`${base},"changes":[]`, false, false],
    [`${base},${star},"extra":1`, false, false],
  ];
  for (const [body, valid, fast] of cases) {
    const line = lineOf(Buffer.from(body));
    expect([body, decodeParsedLine(line, 0, line.length, 1).ok]).toEqual([body, valid]);
    const read = readCanonicalRecord(line, 0, line.length - CRC_SUFFIX_BYTES, undefined);
    expect([body, read !== null]).toEqual([body, fast]);
    expectSameDecoding(line);
  }
});
