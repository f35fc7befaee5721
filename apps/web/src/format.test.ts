import { expect, test } from 'vitest';
import { formatCount, formatDate, formatValue } from './format.ts';

test('counts get thousands separators', () => {
  expect(formatCount(0)).toBe('0');
  expect(formatCount(999)).toBe('999');
  expect(formatCount(1000)).toBe('1,000');
  expect(formatCount(1234567)).toBe('1,234,567');
});

test('dates read as local YYYY-MM-DD HH:MM; garbage passes through', () => {
  const d = new Date(2026, 2, 1, 9, 5);
  expect(formatDate(d.toISOString())).toBe('2026-03-01 09:05');
  expect(formatDate('not a date')).toBe('not a date');
});

test('field values read short', () => {
  const rows: [Parameters<typeof formatValue>[0], string][] = [
    [6.2345, '6.234'],
    [0.0131, '0.0131'],
    [0.1 + 0.2, '0.3'],
    [-2.5, '-2.5'],
    [42, '42'],
    [123456.7, '123,457'],
    [-98765, '-98,765'],
    [1.5e-7, '1.5e-7'],
    [Number.NaN, 'NaN'],
    [null, '—'],
    [undefined, '—'],
    ['anime', 'anime'],
    [['cat', 'sky'], 'cat, sky'],
  ];
  for (const [v, want] of rows) expect(formatValue(v), String(v)).toBe(want);
});
