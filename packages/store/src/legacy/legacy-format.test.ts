import { expect, test } from 'vitest';
import { toRecordTime } from './legacy-format.ts';

test('an original timestamp keeps its instant at the precision it was written with', () => {
  expect(toRecordTime('2026-07-20T09:00:00.654321+00:00')).toBe('2026-07-20T09:00:00.654321Z');
  expect(toRecordTime('2026-07-20T09:05:00.000001+00:00')).toBe('2026-07-20T09:05:00.000001Z');
  expect(toRecordTime('2026-02-02T11:30:00.250000+00:00')).toBe('2026-02-02T11:30:00.250Z');
  expect(toRecordTime('2026-02-02T10:00:00+00:00')).toBe('2026-02-02T10:00:00.000Z');
  expect(toRecordTime('2026-02-02T10:00:00.123+02:00')).toBe('2026-02-02T08:00:00.123Z');
  expect(toRecordTime('')).toBeNull();
  expect(toRecordTime('yesterday')).toBeNull();
});
