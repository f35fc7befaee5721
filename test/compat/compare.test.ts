/** The comparison engine of the contract tests: rules, paths and keys of mismatches. */
import { describe, expect, test } from 'vitest';
import {
  check,
  compare,
  each,
  entries,
  mismatchKey,
  obj,
  same,
  T,
  tableOnly,
  V,
} from './compare.ts';

const folder = { portable: false, trimmed: {} };
const keys = (list: ReturnType<typeof compare>) => list.map(mismatchKey);

describe('compare', () => {
  test('by value: numbers within 1e-9, key order ignored, null equals absent', () => {
    expect(same(4.45778785189058, 4.457787851890581)).toBe(true);
    expect(same(1, 1.0001)).toBe(false);
    expect(same({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
    expect(same(null, undefined)).toBe(true);
    expect(same([1, 2], [2, 1])).toBe(false);
  });

  test('only the fields a rule names are compared; Lenslet may add its own', () => {
    const rule = obj({ star: V, updated_at: T });
    const recorded = { star: 5, updated_at: '2026-12-06T00:36:21.612582+00:00', hash: null };
    const actual = { star: 5, updated_at: '2026-12-06T00:36:21.612Z', seq: 7 };
    expect(compare(rule, actual, recorded, 'body', folder)).toEqual([]);
  });

  test('a missing field, a wrong type and a wrong value are told apart, with their path', () => {
    const rule = obj({ a: V, b: T, c: obj({ d: V }) });
    const out = compare(rule, { b: 'x', c: { d: 2 } }, { a: 1, b: 2, c: { d: 3 } }, 'body', folder);
    expect(keys(out)).toEqual(['body.a: missing', 'body.b: type', 'body.c.d: value']);
    expect(out[2]).toMatchObject({ expected: 3, actual: 2 });
  });

  test('a field the original sent as null may be absent', () => {
    expect(compare(obj({ table_fields: V }), {}, { table_fields: null }, 'body', folder)).toEqual(
      [],
    );
  });

  test('arrays: element by element, one key per field, length from the trimmed recording', () => {
    const rule = obj({ items: each(obj({ path: V })) });
    const recorded = { items: [{ path: '/a' }, { path: '/b' }, { path: '/c' }] };
    const actual = { items: [{ path: '/a' }, { path: '/x' }, { path: '/y' }, { path: '/d' }] };
    const context = { portable: false, trimmed: { 'body.items': 4 } };
    expect(keys(compare(rule, actual, recorded, 'body', context))).toEqual([
      'body.items[].path: value',
    ]);
    expect(keys(compare(rule, actual, recorded, 'body', folder))).toEqual([
      'body.items: length',
      'body.items[].path: value',
    ]);
  });

  test('maps: the same keys, each value by the rule', () => {
    const rule = entries(obj({ count: V }));
    expect(
      keys(compare(rule, { a: { count: 1 } }, { a: { count: 1 }, b: { count: 2 } }, 'm', folder)),
    ).toEqual(['m: keys']);
    expect(keys(compare(rule, { a: { count: 9 } }, { a: { count: 1 } }, 'm', folder))).toEqual([
      'm{}.count: value',
    ]);
  });

  test('table-only fields are skipped when a table recording replays on a folder', () => {
    const rule = obj({ metrics: tableOnly(V), path: V });
    const recorded = { metrics: { aesthetic: 2.5 }, path: '/a' };
    const actual = { metrics: {}, path: '/a' };
    expect(compare(rule, actual, recorded, 'body', { portable: true, trimmed: {} })).toEqual([]);
    expect(keys(compare(rule, actual, recorded, 'body', folder))).toEqual(['body.metrics: value']);
  });

  test('a check compares meaning and is named in the key', () => {
    const saved = check('saved or pending', (a) => a === 'saved' || a === 'pending');
    expect(compare(saved, 'saved', 'pending', 'body.persistence', folder)).toEqual([]);
    expect(keys(compare(saved, 'memory', 'pending', 'body.persistence', folder))).toEqual([
      'body.persistence: saved or pending',
    ]);
  });
});
