import { describe, expect, test } from 'vitest';
import type { CanonicalPath } from './paths.ts';
import {
  assertIdempotencyKey,
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
});
