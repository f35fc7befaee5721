import { expect, test } from 'vitest';
import { LagHistogram } from './lag-histogram.ts';

test('percentiles come from 0.1 ms buckets; the max is exact', () => {
  const lag = new LagHistogram();
  for (let i = 0; i < 98; i++) lag.add(1.23);
  lag.add(7.5);
  lag.add(250);
  expect(lag.summary()).toEqual({ p50: 1.3, p99: 7.6, max: 250, samples: 100 });
});

test('an empty histogram reports zeros', () => {
  expect(new LagHistogram().summary()).toEqual({ p50: 0, p99: 0, max: 0, samples: 0 });
});
