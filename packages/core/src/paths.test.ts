import { describe, expect, test } from 'vitest';
import { LensletError } from './errors.ts';
import {
  assertCanonicalPath,
  baseName,
  type CanonicalPath,
  isWithin,
  joinPath,
  parentPath,
  toCanonicalPath,
} from './paths.ts';

const accepted: [string, string][] = [
  ['', '/'],
  ['/', '/'],
  ['///', '/'],
  ['a.jpg', '/a.jpg'],
  ['/a.jpg', '/a.jpg'],
  ['a\\b.jpg', '/a/b.jpg'],
  ['\\\\server\\share\\x.png', '/server/share/x.png'],
  ['a//b.jpg/', '/a/b.jpg'],
  ['/Cats/Tom.JPG', '/Cats/Tom.JPG'],
  ['/cafe\u0301.jpg', '/caf\u00e9.jpg'],
  ['/猫/🐱.png', '/猫/🐱.png'],
  ['/עברית/תמונה.jpg', '/עברית/תמונה.jpg'],
  ['/a/.hidden/b.jpg', '/a/.hidden/b.jpg'],
  ['/a/...', '/a/...'],
  ['/a/b..c.jpg', '/a/b..c.jpg'],
  ['/ spaced name .jpg', '/ spaced name .jpg'],
];

const rejected: [string, string][] = [
  ['/x/../y', '".." segment'],
  ['..', '".." segment'],
  ['/a/./b', '"." segment'],
  ['.', '"." segment'],
  ['a\\..\\b', '".." segment'],
  ['/a\u0000b', 'NUL'],
  ['/a\nb.jpg', 'control character'],
  ['/a\u007fb.jpg', 'control character'],
  ['/a\u0085b.jpg', 'control character'],
  ['/a\ud800b.jpg', 'unpaired surrogate'],
  ['/a\udc00.jpg', 'unpaired surrogate'],
  [`/${'x'.repeat(5000)}`, 'longer than'],
];

describe('toCanonicalPath', () => {
  test.each(accepted)('%j => %j', (raw, canonical) => {
    expect(toCanonicalPath(raw)).toBe(canonical);
  });

  test.each(rejected)('%j is rejected (%s)', (raw, reason) => {
    expect(toCanonicalPath(raw)).toBeNull();
    expect(() => assertCanonicalPath(raw)).toThrowError(reason);
  });

  test('is idempotent on every accepted input', () => {
    for (const [, canonical] of accepted) expect(toCanonicalPath(canonical)).toBe(canonical);
  });

  test('assertCanonicalPath throws invalid_path for a missing path', () => {
    try {
      assertCanonicalPath(undefined);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LensletError);
      expect((error as LensletError).code).toBe('invalid_path');
      expect((error as LensletError).status).toBe(400);
    }
  });
});

describe('path helpers', () => {
  const p = (s: string) => s as CanonicalPath;
  test.each([
    ['/a/b/c.jpg', '/a/b'],
    ['/c.jpg', '/'],
    ['/', '/'],
  ])('parentPath(%j) => %j', (path, parent) => expect(parentPath(p(path))).toBe(parent));

  test('baseName and joinPath', () => {
    expect(baseName(p('/a/b.jpg'))).toBe('b.jpg');
    expect(joinPath(p('/'), 'b.jpg')).toBe('/b.jpg');
    expect(joinPath(p('/a'), 'b.jpg')).toBe('/a/b.jpg');
  });

  test('isWithin does not match sibling prefixes', () => {
    expect(isWithin(p('/a'), p('/a/b.jpg'))).toBe(true);
    expect(isWithin(p('/a'), p('/a'))).toBe(true);
    expect(isWithin(p('/a'), p('/ab.jpg'))).toBe(false);
    expect(isWithin(p('/'), p('/anything'))).toBe(true);
  });
});
