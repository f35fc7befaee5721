import { type CanonicalPath, EMPTY_LABELS, type Labels } from '@lenslet/core';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { IdempotencyEntry } from '../index/idempotency.ts';
import {
  readCanonicalItem,
  readCanonicalItemLine,
  readCanonicalKeyLine,
} from './canonical-snapshot-lines.ts';
import {
  idempotencyLine,
  itemLine,
  parseIdempotencyLine,
  parseItem,
  parseItemJson,
} from './snapshot-codec.ts';
import { SnapshotKeys } from './snapshot-keys.ts';

/** Printable ASCII without `"` and `\`: strings JSON.stringify writes as they are. */
const plain = (min = 0, max = 24) =>
  fc
    .array(fc.integer({ min: 0x20, max: 0x7e }), { minLength: min, maxLength: max })
    .map((codes) => String.fromCharCode(...codes).replace(/["\\]/g, 'x'));

const anyText = (min = 0, max = 24) =>
  fc.oneof(plain(min, max), fc.string({ unit: 'binary', minLength: min, maxLength: max }));

type Text = (min?: number, max?: number) => fc.Arbitrary<string>;

const count = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.maxSafeNat());

const labels = (text: Text): fc.Arbitrary<[CanonicalPath, Labels]> =>
  fc.tuple(
    text(0, 16).map((s) => `/${s}` as CanonicalPath),
    fc.record({
      star: fc.option(fc.integer({ min: 0, max: 5 })),
      tags: fc.array(text(1, 8), { maxLength: 4 }),
      notes: text(),
      metrics: fc.dictionary(
        text(0, 8).filter((k) => k !== '__proto__'),
        fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
        { maxKeys: 3 },
      ),
      version: fc.oneof(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      ),
      updated_at: fc.option(text(0, 24)),
      updated_by: fc.option(text(0, 12)),
      field_versions: fc.record({ star: count, notes: count, tags: count }),
    }),
  );

const bufOf = (line: string) => Buffer.from(line);

/** The fast and the general item readers agree: same verdict, same labels, same key order. */
function expectSameItem(buf: Buffer): void {
  const general = parseItemJson(buf, 0, buf.length);
  const parsed = parseItem(buf, 0, buf.length);
  expect(parsed.ok).toBe(general.ok);
  if (parsed.ok && general.ok) {
    expect(parsed.value).toEqual(general.value);
    expect(JSON.stringify(parsed.value)).toBe(JSON.stringify(general.value));
    expect(Object.isFrozen(parsed.value[1].tags)).toBe(Object.isFrozen(general.value[1].tags));
  } else expect(parsed).toEqual(general);
}

/** Random edits of a line's bytes: set, delete, insert (JSON punctuation and digits mostly). */
const edits = fc.array(
  fc.record({
    op: fc.constantFrom('set' as const, 'delete' as const, 'insert' as const),
    at: fc.nat(),
    value: fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(...Buffer.from('{}[],:"\\ 0159-.eE+nul')),
    ),
  }),
  { minLength: 1, maxLength: 3 },
);

function edited(line: string, changes: { op: string; at: number; value: number }[]): Buffer {
  let bytes = [...Buffer.from(line)];
  for (const { op, at, value } of changes) {
    const i = at % (bytes.length + (op === 'insert' ? 1 : 0));
    if (op === 'set') bytes[i] = value;
    else if (op === 'delete') bytes.splice(i, 1);
    else bytes.splice(i, 0, value);
    if (bytes.length === 0) bytes = [0x22];
  }
  return Buffer.from(bytes);
}

test('an item line as written (plain text) is read by the fast path, equal to JSON.parse', () => {
  fc.assert(
    fc.property(labels(plain), ([path, l]) => {
      const buf = bufOf(itemLine(path, l));
      expect(readCanonicalItem(buf, 0, buf.length)).not.toBeNull();
      expectSameItem(buf);
    }),
    { numRuns: 3000 },
  );
});

test('item lines with any text (escapes, non-ASCII, lone surrogates) read the same either way', () => {
  fc.assert(
    fc.property(labels(anyText), ([path, l]) => expectSameItem(bufOf(itemLine(path, l)))),
    { numRuns: 3000 },
  );
});

test('damaged item lines: the fast path never accepts what JSON.parse refuses, nor reads it otherwise', () => {
  fc.assert(
    fc.property(labels(plain), edits, ([path, l], changes) => {
      expectSameItem(edited(itemLine(path, l), changes));
    }),
    { numRuns: 5000 },
  );
});

/**
 * The line-end reader (items read where their line ends is found by reading them) agrees with
 * the reader given the line's bounds: it takes a line, with or without its comma, exactly when
 * that one reads it, to the same labels, and ends at the line's own newline.
 */
function expectSameLineEnd(line: Buffer, comma: boolean): void {
  const body = comma ? Buffer.concat([line, Buffer.from(',')]) : line;
  const buf = Buffer.concat([body, Buffer.from('\n"/next":[]\n')]);
  const items = new Map<CanonicalPath, Labels>();
  const sink = { items, latestUpdate: null };
  const newline = readCanonicalItemLine(buf, 0, buf.length, sink);
  // As the snapshot reader does, one comma at the end of a line is not part of the item.
  const text = body.at(-1) === 0x2c ? body.length - 1 : body.length;
  const bounded = readCanonicalItem(body, 0, text);
  if (bounded === null) {
    expect(newline).toBe(-1);
    expect(items.size).toBe(0);
    expect(sink.latestUpdate).toBe(null);
  } else {
    expect(newline).toBe(body.length);
    expect([...items]).toEqual([bounded]);
    expect(sink.latestUpdate).toBe(bounded[1].updated_at);
  }
}

test('items read up to their newline match the reader given the line, damaged or not', () => {
  fc.assert(
    fc.property(
      labels(anyText),
      edits,
      fc.boolean(),
      fc.boolean(),
      ([path, l], changes, damage, comma) => {
        const line = damage ? edited(itemLine(path, l), changes) : bufOf(itemLine(path, l));
        // (A newline inside the line makes it two lines.)
        fc.pre(!line.includes(0x0a));
        expectSameLineEnd(line, comma);
      },
    ),
    { numRuns: 4000 },
  );
  // A line cut short of its newline (the end of a batch) is never taken.
  const line = bufOf(itemLine('/a.jpg' as CanonicalPath, { ...EMPTY_LABELS, version: 2 }));
  expect(
    readCanonicalItemLine(line, 0, line.length, { items: new Map(), latestUpdate: null }),
  ).toBe(-1);
});

test('item lines the writer does not produce take the general path with the same result', () => {
  const fields = '3,["a"],"n",{"m":1.5},4,"2026-01-01T00:00:00.000Z","ana",1,2,3';
  // [line, valid?, read by the fast path?]
  const cases: [string, boolean, boolean][] = [
    [`"/a.jpg":[${fields}]`, true, true],
    [`"/a.jpg":[ ${fields}]`, true, false],
    [`"/a\\u002eb.jpg":[${fields}]`, true, false],
    [`"a.jpg":[${fields}]`, false, false],
    [`"/a.jpg":[${fields.replace('3,', '6,')}]`, false, false],
    [`"/a.jpg":[${fields.replace('4,"2026', '0,"2026')}]`, false, false],
    [`"/a.jpg":[${fields.replace('4,"2026', '4.0,"2026')}]`, true, false],
    [`"/a.jpg":[${fields.replace('["a"]', '[""]')}]`, true, false],
    [`"/a.jpg":[${fields.replace('1.5', 'null')}]`, false, false],
    [`"/a.jpg":[${fields.replace('1.5', '1e400')}]`, false, false],
    [`"/a.jpg":[${fields.replace('{"m":1.5}', '{"__proto__":1}')}]`, true, false],
    [`"/a.jpg":[${fields.replace('{"m":1.5}', '{}')}]`, true, true],
    [`"/a.jpg":[${fields},9]`, false, false],
    [`"/a.jpg":[${fields.replace(',1,2,3', ',1,2,-3')}]`, false, false],
  ];
  for (const [line, valid, fast] of cases) {
    const buf = bufOf(line);
    expect([line, parseItemJson(buf, 0, buf.length).ok]).toEqual([line, valid]);
    expect([line, readCanonicalItem(buf, 0, buf.length) !== null]).toEqual([line, fast]);
    expectSameItem(buf);
  }
});

const entry = (text: Text): fc.Arbitrary<IdempotencyEntry> =>
  fc.record({
    key: text(0, 24),
    mode: fc.constantFrom('patch' as const, 'put' as const, 'bulk' as const, 'metrics' as const),
    path: text(0, 16).map((s) => `/${s}` as CanonicalPath),
    fp: text(0, 20),
    seq: fc.maxSafeNat(),
    at_ms: fc.maxSafeNat(),
  });

/** Key lines kept as bytes (or parsed when not in the written form) give JSON.parse's entries. */
function expectSameKeys(lines: Buffer[]): void {
  const keys = new SnapshotKeys();
  const expected: IdempotencyEntry[] = [];
  for (const buf of lines) {
    const general = parseIdempotencyLine(buf.toString('utf8'));
    const canonical = keys.addLine(buf, 0, buf.length);
    if (canonical) expect(general.ok).toBe(true);
    else if (general.ok) keys.addEntry(general.value);
    if (general.ok) expected.push(general.value);
  }
  expect(keys.length).toBe(expected.length);
  expect(keys.entries()).toEqual(expected);
}

test('key lines as written read the same from bytes as with JSON.parse, in order', () => {
  fc.assert(
    fc.property(fc.array(entry(plain), { maxLength: 5 }), (entries) => {
      const lines = entries.map((e) => bufOf(idempotencyLine(e)));
      for (const buf of lines) expect(readCanonicalKeyLine(buf, 0, buf.length)).toBe(true);
      expectSameKeys(lines);
    }),
    { numRuns: 2000 },
  );
});

test('key lines with any text, or damaged, fall back to JSON.parse and never read otherwise', () => {
  fc.assert(
    fc.property(fc.array(entry(anyText), { maxLength: 4 }), (entries) => {
      expectSameKeys(entries.map((e) => bufOf(idempotencyLine(e))));
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(entry(plain), edits, (e, changes) => {
      expectSameKeys([edited(idempotencyLine(e), changes)]);
    }),
    { numRuns: 5000 },
  );
  const line = '["k","patch","/a.jpg","fp:1",12,1767225600000]';
  for (const [text, canonical] of [
    [line, true],
    [line.replace('"patch"', '"other"'), false],
    [line.replace('"k"', '"k\\u0041"'), false],
    [line.replace('"k"', '"ké"'), false],
    [line.replace(',12,', ',012,'), false],
    [line.replace(',12,', ',12.5,'), false],
    [line.replace('[', '[ '), false],
  ] as const) {
    const buf = bufOf(text);
    expect([text, readCanonicalKeyLine(buf, 0, buf.length)]).toEqual([text, canonical]);
    expectSameKeys([buf]);
  }
});
