import { type CanonicalPath, canonicalRequest } from '@lenslet/core';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fingerprint, hash64Hex, hex32 } from './fingerprint.ts';

test('hex32 writes what toString(16) padded to 8 digits writes, for every 32-bit pattern', () => {
  for (const x of [0, 1, 15, 16, 255, 256, 0x7fffffff, -1, -0x80000000, 0xdeadbeef | 0]) {
    expect(hex32(x)).toBe((x >>> 0).toString(16).padStart(8, '0'));
  }
  fc.assert(
    fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (x) => {
      expect(hex32(x)).toBe((x >>> 0).toString(16).padStart(8, '0'));
    }),
  );
});

test('fingerprints stored in logs never change (values from the implementation before hex32)', () => {
  const entry = { path: '/cats/a.jpg' as CanonicalPath, patch: { add_tags: ['cute'] } };
  expect(fingerprint(entry, 'patch')).toBe('patch:d800890d7c3bba69');
  expect(fingerprint({ ...entry, expected_version: 3 }, 'metrics')).toBe(
    'metrics:4ab77989a4e0f9ce',
  );
});

test('the fingerprint hashed piece by piece is the hash of the whole canonical request text', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom('a"b', 'a\\b', '\n', '\u0001', '\ud800', '\udc00x', '😀', 'é'),
  );
  const patch = fc.record(
    {
      set_star: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      set_notes: text,
      set_tags: fc.array(text, { maxLength: 3 }),
      add_tags: fc.array(text, { maxLength: 3 }),
      remove_tags: fc.array(text, { maxLength: 3 }),
      set_metrics: fc.dictionary(
        text,
        fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
        { maxKeys: 4 },
      ),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(
      text,
      fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: undefined }),
      patch,
      fc.constantFrom('patch' as const, 'put' as const, 'bulk' as const, 'metrics' as const),
      (path, expected_version, p, mode) => {
        const entry = { path: `/${path}` as CanonicalPath, expected_version, patch: p };
        const whole = canonicalRequest(entry.path, expected_version, p, mode);
        expect(fingerprint(entry, mode)).toBe(`${mode}:${hash64Hex(whole)}`);
      },
    ),
    { numRuns: 3000 },
  );
});
