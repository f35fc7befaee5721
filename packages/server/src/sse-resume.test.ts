import { expect, test } from 'vitest';
import { decideResume, parseResumeRequest } from './sse-resume.ts';

const log = { log_id: 'log-a', head: 100, oldest_seq: 1 };

test('no resume point: live from the head', () => {
  expect(decideResume({ last_event_id: null, log_id: null }, log)).toEqual({ kind: 'live' });
});

test('a resume point behind the head replays what follows it', () => {
  expect(decideResume({ last_event_id: 40, log_id: 'log-a' }, log)).toEqual({
    kind: 'replay',
    after: 40,
  });
  expect(decideResume({ last_event_id: 0, log_id: null }, log)).toEqual({
    kind: 'replay',
    after: 0,
  });
});

test('a resume point at the head has nothing to replay', () => {
  expect(decideResume({ last_event_id: 100, log_id: null }, log)).toEqual({ kind: 'live' });
});

test('another log id is log_replaced, even without a resume point', () => {
  expect(decideResume({ last_event_id: 5, log_id: 'log-b' }, log)).toEqual({
    kind: 'resync',
    reason: 'log_replaced',
  });
  expect(decideResume({ last_event_id: null, log_id: 'log-b' }, log)).toEqual({
    kind: 'resync',
    reason: 'log_replaced',
  });
});

test('a resume point past the head of the named log is ahead_of_head', () => {
  expect(decideResume({ last_event_id: 101, log_id: log.log_id }, log)).toEqual({
    kind: 'resync',
    reason: 'ahead_of_head',
  });
});

test('a resume point past the head without a log_id (the original client) starts live', () => {
  expect(decideResume({ last_event_id: 101, log_id: null }, log)).toEqual({ kind: 'live' });
});

test('records no longer kept are history_unavailable', () => {
  const trimmed = { ...log, oldest_seq: 51 };
  expect(decideResume({ last_event_id: 50, log_id: null }, trimmed)).toEqual({
    kind: 'replay',
    after: 50,
  });
  expect(decideResume({ last_event_id: 49, log_id: null }, trimmed)).toEqual({
    kind: 'resync',
    reason: 'history_unavailable',
  });
});

test('a gap beyond the replay limit is too_far_behind', () => {
  expect(decideResume({ last_event_id: 90, log_id: null }, log, 10)).toEqual({
    kind: 'replay',
    after: 90,
  });
  expect(decideResume({ last_event_id: 89, log_id: null }, log, 10)).toEqual({
    kind: 'resync',
    reason: 'too_far_behind',
  });
});

test('the Last-Event-ID header wins over the query parameter', () => {
  expect(parseResumeRequest({ header: '7', last_event_id: '3', log_id: 'x' })).toEqual({
    last_event_id: 7,
    log_id: 'x',
  });
  expect(parseResumeRequest({ last_event_id: '3' })).toEqual({ last_event_id: 3, log_id: null });
  expect(parseResumeRequest({ header: '  ' })).toEqual({ last_event_id: null, log_id: null });
});

test('a resume point that is not a seq is refused, naming where it came from', () => {
  expect(() => parseResumeRequest({ header: 'abc' })).toThrow(/Last-Event-ID/);
  expect(() => parseResumeRequest({ last_event_id: '-1' })).toThrow(/last_event_id/);
  expect(() => parseResumeRequest({ log_id: 'has space' })).toThrow(/log_id/);
});

test('a log imported from the original: a point at or before its origin replays from its first record', () => {
  // Records 96–100 over the empty state at 95, the original's last event id 100.
  const imported = { ...log, origin: 95 };
  expect(decideResume({ last_event_id: 3, log_id: null }, imported)).toEqual({
    kind: 'replay',
    after: 95,
  });
  expect(decideResume({ last_event_id: 97, log_id: null }, imported)).toEqual({
    kind: 'replay',
    after: 97,
  });
  expect(decideResume({ last_event_id: 100, log_id: null }, imported)).toEqual({ kind: 'live' });
  // Far behind in the original's ids is not too far behind: only 5 records follow.
  expect(
    decideResume({ last_event_id: 1, log_id: null }, { ...imported, head: 60_100, origin: 60_095 }),
  ).toEqual({ kind: 'replay', after: 60_095 });
});
