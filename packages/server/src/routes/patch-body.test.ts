import { patchSchema } from '@lenslet/core';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { readPatchFast } from './patch-body.ts';

/** Strings near the rules' edges: spaces around, control characters, lone surrogates, NFD. */
const edgy = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(' a ', '', '   ', 'e\u0301', '\u00e9', 'a\tb', 'a\nb', '\ud800', 'x'.repeat(129)),
);
/** Mostly plain words (valid), sometimes an edge. */
const text = fc.oneof(
  { arbitrary: fc.constantFrom('cat', 'dog', ' sky ', 'Straße', 'e\u0301'), weight: 4 },
  { arbitrary: edgy, weight: 1 },
);
const number = fc.oneof(
  fc.integer({ min: -2, max: 7 }),
  fc.double(),
  fc.constantFrom(-0, 2 ** 53, 1.5),
);
const anyValue = fc.oneof(number, edgy, fc.constant(null), fc.array(edgy, { maxLength: 3 }));
/** Mostly the field's own kind of value, sometimes anything. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: anyValue, weight: 1 });
const tags = mostly(fc.array(text, { maxLength: 5 }));
const metricName = fc.oneof(
  { arbitrary: fc.constantFrom('score', 'a.b:c-d_1', '1', 'load'), weight: 6 },
  { arbitrary: fc.constantFrom('__proto__', 'bad name', '', 'x'.repeat(65)), weight: 1 },
  { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
);
const metrics = mostly(
  fc.dictionary(
    metricName,
    fc.oneof({ arbitrary: number, weight: 6 }, fc.constant(null), { arbitrary: edgy, weight: 1 }),
    { maxKeys: 4 },
  ),
);
const field = {
  base_version: mostly(fc.integer({ min: -1, max: 9 })),
  set_star: mostly(fc.option(fc.integer({ min: -1, max: 6 }))),
  set_notes: mostly(text),
  set_tags: tags,
  add_tags: tags,
  remove_tags: tags,
  set_metrics: metrics,
};
/** A body as JSON.parse gives it: any subset of the fields, in any order, maybe an unknown key. */
const body = fc
  .record(field, { requiredKeys: [] })
  .chain((fields) =>
    fc
      .shuffledSubarray(Object.entries(fields), { minLength: Object.keys(fields).length })
      .chain((entries) =>
        fc.oneof(fc.constant(entries), fc.constant([...entries, ['star', 3] as [string, unknown]])),
      ),
  )
  .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries))) as unknown);

test('the fast reader gives exactly what zod gives, or leaves the body to zod', () => {
  let taken = 0;
  fc.assert(
    fc.property(body, (input) => {
      const fast = readPatchFast(input);
      if (fast === undefined) return;
      taken += 1;
      const parsed = patchSchema.safeParse(input);
      expect(parsed.success).toBe(true);
      // Same values, same key order, same -0 handling.
      expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
      expect(fast).toStrictEqual(parsed.data);
    }),
    { numRuns: 5_000 },
  );
  // The generator reaches the fast path often enough for the comparison to mean something.
  expect(taken).toBeGreaterThan(200);
});

test('valid bodies of every field take the fast path, normalised as zod does', () => {
  const body = JSON.parse(
    '{"set_metrics":{"b":1,"a":-0,"gone":null},"add_tags":[" x ","e\\u0301","x"],"set_notes":"e\\u0301\\n","set_star":null,"base_version":4}',
  );
  const fast = readPatchFast(body);
  expect(fast).toStrictEqual(patchSchema.parse(body));
  expect(Object.keys(fast!)).toEqual([
    'base_version',
    'set_star',
    'set_notes',
    'add_tags',
    'set_metrics',
  ]);
  expect(fast!.add_tags).toEqual(['x', '\u00e9']);
  expect(Object.is(fast!.set_metrics!.a, 0)).toBe(true);
});

test('invalid or unusual bodies are left to zod (its error message answers them)', () => {
  for (const body of [
    undefined,
    null,
    [],
    'x',
    { star: 3 },
    { set_star: 6 },
    { set_star: 2.5 },
    { base_version: 0 },
    { add_tags: [' '] },
    { add_tags: ['a\u0001'] },
    { set_notes: '\ud800' },
    { set_metrics: { 'bad name': 1 } },
    { set_metrics: { a: '1' } },
    JSON.parse('{"set_metrics":{"__proto__":1}}'),
    { set_star: undefined },
  ]) {
    expect(readPatchFast(body)).toBeUndefined();
  }
});
