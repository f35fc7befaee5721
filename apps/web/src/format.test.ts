import { expect, test } from 'vitest';
import { formatCount, formatDate } from './format.ts';

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
