import { expect, test } from 'vitest';
import {
  chipState,
  cycleChip,
  cycleHas,
  type FieldFilters,
  fieldFilterCount,
  readFieldFilters,
  type ValueFilter,
  withKey,
  writeFieldFilters,
} from './field-filters.ts';

const write = (f: FieldFilters) => {
  const p = new URLSearchParams();
  writeFieldFilters(p, f);
  return p.toString();
};

test('field filters survive the URL round trip, whatever the names and values', () => {
  const f: FieldFilters = {
    ranges: { aesthetic: { min: 5 }, '@derived': { min: -1.5, max: 2 }, 'odd name.x': { max: 0 } },
    values: {
      style: { in: ['anime', 'a,b & c'] },
      split: { not_in: ['test'] },
      k: { in: ['x'], not_in: ['y'] },
    },
    has: { nsfw_score: 'missing', clip_score: 'present' },
  };
  const search = write(f);
  expect(search).toContain('r.aesthetic=5..');
  expect(search).toContain('in.style=anime');
  expect(readFieldFilters(new URLSearchParams(search))).toEqual(f);
});

test('unreadable parameters are dropped, other parameters ignored', () => {
  const rows: [string, FieldFilters][] = [
    ['r.a=..&r.b=x..y&r.c=5..1&r.=1..2', { ranges: {}, values: {}, has: {} }],
    ['r.a=1..&folder=/x&q=r.b&sort=name', { ranges: { a: { min: 1 } }, values: {}, has: {} }],
    ['r.a=..1e-3', { ranges: { a: { max: 0.001 } }, values: {}, has: {} }],
    ['miss=&has=b&in.=x', { ranges: {}, values: {}, has: { b: 'present' } }],
  ];
  for (const [search, want] of rows) {
    expect(readFieldFilters(new URLSearchParams(search)), search).toEqual(want);
  }
});

test('a chip cycles: neutral → included → excluded → neutral, other values kept', () => {
  const rows: [ValueFilter | undefined, string, ValueFilter | null][] = [
    [undefined, 'a', { in: ['a'] }],
    [{ in: ['a'] }, 'a', { not_in: ['a'] }],
    [{ not_in: ['a'] }, 'a', null],
    [{ in: ['b'] }, 'a', { in: ['b', 'a'] }],
    [{ in: ['a', 'b'] }, 'a', { in: ['b'], not_in: ['a'] }],
    [{ in: ['b'], not_in: ['a'] }, 'a', { in: ['b'] }],
  ];
  for (const [v, value, want] of rows) {
    expect(cycleChip(v, value), `${JSON.stringify(v)} ${value}`).toEqual(want);
  }
  expect(chipState({ in: ['a'], not_in: ['b'] }, 'a')).toBe('in');
  expect(chipState({ in: ['a'], not_in: ['b'] }, 'b')).toBe('out');
  expect(chipState(undefined, 'b')).toBe(null);
});

test('the missing toggle cycles any → only missing → only present → any', () => {
  expect(cycleHas(undefined)).toBe('missing');
  expect(cycleHas('missing')).toBe('present');
  expect(cycleHas('present')).toBe(null);
});

test('a filtered field counts once however many ways it is filtered', () => {
  expect(
    fieldFilterCount({
      ranges: { a: { min: 1 } },
      values: { s: { in: ['x'] } },
      has: { a: 'present', b: 'missing' },
    }),
  ).toBe(3);
  expect(withKey({ a: 1, b: 2 }, 'a', null)).toEqual({ b: 2 });
  expect(withKey({ a: 1 }, 'b', 3)).toEqual({ a: 1, b: 3 });
});
