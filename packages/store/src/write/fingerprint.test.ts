import type { CanonicalPath } from '@lenslet/core';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fingerprint, hex32 } from './fingerprint.ts';

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
