import { describe, expect, test } from 'vitest';
import type { LensletError } from './errors.ts';
import { patchSchema } from './patch.ts';
import { parseOrThrow } from './validation.ts';

const parse = (body: unknown) => parseOrThrow(patchSchema, body, 'invalid_patch');

function errorOf(body: unknown): LensletError {
  try {
    parse(body);
  } catch (error) {
    return error as LensletError;
  }
  throw new Error('expected the patch to be rejected');
}

describe('patchSchema', () => {
  test('accepts every field and normalizes tags', () => {
    const patch = parse({
      base_version: 3,
      set_star: null,
      set_notes: 'cafe\u0301',
      set_tags: ['  cat ', 'cat', 'dog'],
      add_tags: ['x'],
      remove_tags: ['y'],
      set_metrics: { score: 0.5, 'clip:sim-2': -0, gone: null },
    });
    expect(patch).toEqual({
      base_version: 3,
      set_star: null,
      set_notes: 'caf\u00e9',
      set_tags: ['cat', 'dog'],
      add_tags: ['x'],
      remove_tags: ['y'],
      set_metrics: { score: 0.5, 'clip:sim-2': 0, gone: null },
    });
    expect(Object.is(patch.set_metrics?.['clip:sim-2'], 0)).toBe(true);
  });

  test('an empty patch is valid', () => {
    expect(parse({})).toEqual({});
  });

  test.each([
    [{ sets_star: 3 }, 'unknown field "sets_star"'],
    [{ set_star: 6 }, 'set_star'],
    [{ set_star: 2.5 }, 'set_star'],
    [{ set_star: '3' }, 'set_star'],
    [{ base_version: 0 }, 'base_version'],
    [{ set_tags: ['ok', '   '] }, 'set_tags.1'],
    [{ add_tags: ['x'.repeat(129)] }, 'add_tags.0'],
    [{ add_tags: Array.from({ length: 257 }, (_, i) => `t${i}`) }, 'add_tags'],
    [{ add_tags: ['a\nb'] }, 'control characters'],
    [{ set_notes: 'x'.repeat(20_001) }, 'set_notes'],
    [{ set_notes: 'bad\u0000' }, 'set_notes'],
    [{ set_notes: 'lone \ud800' }, 'set_notes'],
    [{ set_metrics: { 'bad name': 1 } }, 'set_metrics'],
    [{ set_metrics: { ok: 'high' } }, 'set_metrics.ok'],
    [{ set_metrics: { ok: Number.POSITIVE_INFINITY } }, 'set_metrics.ok'],
    [null, 'expected object'],
    [[1, 2], 'expected object'],
  ])('rejects %j naming the problem', (body, fragment) => {
    const error = errorOf(body);
    expect(error.code).toBe('invalid_patch');
    expect(error.message).toContain(fragment);
  });
});
