import { expect, test } from 'vitest';
import { latencySummary, median, percentile, percentiles } from './stats.ts';

test('percentiles are nearest-rank: always a measured value, whatever the input order', () => {
  const values = [40, 10, 30, 20];
  expect(percentiles(values, [0, 0.25, 0.5, 0.75, 0.99, 1])).toEqual([10, 10, 20, 30, 40, 40]);
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
  expect(percentile(hundred, 0.95)).toBe(95);
  expect(percentile(hundred, 0.99)).toBe(99);
  expect(values).toEqual([40, 10, 30, 20]);
});

test('no samples give 0, so a generator with nothing measured still prints a number', () => {
  expect(percentile([], 0.5)).toBe(0);
  expect(latencySummary([])).toEqual({ p50: 0, p99: 0, max: 0 });
});

test('a latency summary is p50, p99 and the largest sample', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i + 1);
  expect(latencySummary(values)).toEqual({ p50: 500, p99: 990, max: 1000 });
});

test('the median averages the two middle values of an even count', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([])).toBeNaN();
});
