import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createConnection, OFFLINE_AFTER_FAILURES, POLL_INTERVAL_MS } from './connection-model.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('repeated failures switch to polling, which stops as soon as the stream is live', () => {
  let polls = 0;
  const c = createConnection({
    poll: () => {
      polls += 1;
    },
  });
  c.update({ state: 'live', failures: 0, leader: true });
  expect(c.label.value).toBe('live');
  c.update({ state: 'reconnecting', failures: 1, leader: true });
  expect(c.label.value).toBe('reconnecting');
  vi.advanceTimersByTime(POLL_INTERVAL_MS * 2);
  expect(polls).toBe(0);
  c.update({ state: 'reconnecting', failures: OFFLINE_AFTER_FAILURES, leader: true });
  expect(c.label.value).toBe('offline');
  vi.advanceTimersByTime(POLL_INTERVAL_MS * 2);
  expect(polls).toBe(2);
  c.update({ state: 'live', failures: 0, leader: true });
  vi.advanceTimersByTime(POLL_INTERVAL_MS * 2);
  expect(polls).toBe(2);
  expect(c.polling).toBe(false);
});
