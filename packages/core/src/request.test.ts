import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Patch } from './patch.ts';
import type { CanonicalPath } from './paths.ts';
import {
  assertIdempotencyKey,
  canonicalJson,
  canonicalRequest,
  expectedVersion,
  parseIfMatch,
  parseUserHeader,
} from './request.ts';

describe('request metadata', () => {
  test('user header: percent-decoded, NFC, default anonymous', () => {
    expect(parseUserHeader(undefined)).toBe('anonymous');
    expect(parseUserHeader(encodeURIComponent('Zoë 🐱'))).toBe('Zoë 🐱');
    expect(parseUserHeader(encodeURIComponent('Zoe\u0308'))).toBe('Zoë');
  });

  test.each(['', '%E0%A4%A', 'x'.repeat(65), 'ev%0Ail'])(
    'user header %j is invalid_user',
    (raw) => {
      expect(() => parseUserHeader(raw)).toThrowError(
        expect.objectContaining({ code: 'invalid_user' }),
      );
    },
  );

  test('idempotency keys are 8–128 printable ASCII', () => {
    expect(assertIdempotencyKey('abcd-1234')).toBe('abcd-1234');
    for (const bad of [undefined, 'short', 'has space x', 'x'.repeat(129), 'ünïcode-key']) {
      expect(() => assertIdempotencyKey(bad)).toThrowError(
        expect.objectContaining({ code: 'invalid_idempotency_key' }),
      );
    }
  });

  test('If-Match accepts quoted, weak and bare versions', () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('7')).toBe(7);
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(() => parseIfMatch('*')).toThrowError(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });

  test('If-Match and base_version must agree', () => {
    expect(expectedVersion(3, undefined)).toBe(3);
    expect(expectedVersion(undefined, 4)).toBe(4);
    expect(expectedVersion(5, 5)).toBe(5);
    expect(() => expectedVersion(5, 6)).toThrowError('disagree');
  });

  test('canonical request ignores key order and where the version came from', () => {
    const p = '/a.jpg' as CanonicalPath;
    expect(canonicalRequest(p, 3, { base_version: 3, add_tags: ['x'], set_star: 1 })).toBe(
      canonicalRequest(p, 3, { set_star: 1, add_tags: ['x'] }),
    );
    expect(canonicalRequest(p, 3, { set_star: 1 })).not.toBe(
      canonicalRequest(p, 4, { set_star: 1 }),
    );
    expect(canonicalRequest(p, 3, { set_star: 1 })).not.toBe(
      canonicalRequest('/b.jpg' as CanonicalPath, 3, { set_star: 1 }),
    );
  });

  test('canonical request is the key-sorted JSON of the request, for any patch', () => {
    const tags = fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 });
    const patch = fc.record(
      {
        base_version: fc.integer({ min: 1, max: 9 }),
        set_star: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
        set_notes: fc.string({ maxLength: 10 }),
        set_tags: tags,
        add_tags: tags,
        remove_tags: tags,
        set_metrics: fc.dictionary(
          fc.string({ minLength: 1, maxLength: 4 }),
          fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        patch,
        fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
        fc.constantFrom('patch', 'bulk'),
        (pt, expected, mode) => {
          const { base_version: _b, ...ops } = pt as Patch;
          const path = '/x/"q".jpg' as CanonicalPath;
          expect(canonicalRequest(path, expected, pt as Patch, mode)).toBe(
            canonicalJson({ mode, path, expected: expected ?? null, ops }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
