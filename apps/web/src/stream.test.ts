import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import {
  BACKOFF_MAX_MS,
  BACKOFF_MIN_MS,
  backoffDelay,
  type FeedEvent,
  openStream,
  parseFeedEvent,
  readFeedEvent,
  type StreamState,
} from './stream.ts';
import { createSseFetch, itemUpdate, persistenceEvent } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('backoff grows from 1 s to a 30 s cap, with jitter', () => {
  expect(backoffDelay(1, () => 1)).toBe(BACKOFF_MIN_MS);
  expect(backoffDelay(2, () => 1)).toBe(2_000);
  expect(backoffDelay(20, () => 1)).toBe(BACKOFF_MAX_MS);
  expect(backoffDelay(20, () => 0)).toBe(BACKOFF_MIN_MS / 2);
  const spread = new Set(Array.from({ length: 20 }, (_, i) => backoffDelay(5, () => i / 20)));
  expect(spread.size).toBeGreaterThan(10);
});

test('malformed and unknown events are dropped', () => {
  expect(parseFeedEvent('item-updated', '{"seq":1}')).toBeNull();
  expect(parseFeedEvent('item-updated', 'not json')).toBeNull();
  expect(parseFeedEvent('something-else', '{}')).toBeNull();
  expect(parseFeedEvent('hello', '{"seq":3,"log_id":"L"}')).toEqual({
    kind: 'hello',
    data: { seq: 3, log_id: 'L' },
  });
});

function open(sse: ReturnType<typeof createSseFetch>, seq: number | null = 5) {
  const events: FeedEvent[] = [];
  const states: StreamState[] = [];
  const handle = openStream({
    fetch: sse.fetch,
    cursor: { seq, log_id: null },
    random: () => 1,
    onEvent: (e) => events.push(e),
    onState: (s) => states.push(s),
  });
  return { events, states, handle };
}

test('resumes from the loaded seq, then from the last record, with the log id', async () => {
  const sse = createSseFetch();
  const { events, states, handle } = open(sse, 5);
  await vi.advanceTimersByTimeAsync(0);
  const first = sse.connections[0]!;
  expect(first.headers['Last-Event-ID']).toBe('5');
  expect(first.url).toBe('/events?last_event_id=5');
  first.event('hello', { seq: 7, log_id: 'LOG' });
  first.event('item-updated', itemUpdate({ seq: 6 }), 6);
  first.event('item-updated', itemUpdate({ seq: 7, version: 3 }), 7);
  await vi.advanceTimersByTimeAsync(0);
  expect(states).toEqual(['connecting', 'live']);
  expect(events.map((e) => e.kind)).toEqual(['hello', 'item', 'item']);
  first.end();
  await vi.advanceTimersByTimeAsync(0);
  expect(states.at(-1)).toBe('reconnecting');
  await vi.advanceTimersByTimeAsync(BACKOFF_MIN_MS);
  const second = sse.connections[1]!;
  expect(second.headers['Last-Event-ID']).toBe('7');
  expect(second.url).toBe('/events?log_id=LOG&last_event_id=7');
  handle.close();
});

test('failures back off longer each time and reset once hello arrives', async () => {
  const sse = createSseFetch();
  const { handle } = open(sse);
  await vi.advanceTimersByTimeAsync(0);
  sse.connections[0]!.end();
  await vi.advanceTimersByTimeAsync(999);
  expect(sse.connections).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(sse.connections).toHaveLength(2);
  sse.connections[1]!.end();
  await vi.advanceTimersByTimeAsync(1_999);
  expect(sse.connections).toHaveLength(2);
  await vi.advanceTimersByTimeAsync(1);
  expect(sse.connections).toHaveLength(3);
  sse.connections[2]!.event('hello', { seq: 5, log_id: 'L' });
  await vi.advanceTimersByTimeAsync(0);
  sse.connections[2]!.end();
  await vi.advanceTimersByTimeAsync(BACKOFF_MIN_MS);
  expect(sse.connections).toHaveLength(4);
  handle.close();
});

test('resync-required reconnects at once, live from the head (no resume point)', async () => {
  const sse = createSseFetch();
  const { events, handle } = open(sse, 50);
  await vi.advanceTimersByTimeAsync(0);
  sse.connections[0]!.event('hello', { seq: 3, log_id: 'NEW' });
  sse.connections[0]!.event('resync-required', { reason: 'ahead_of_head', seq: 3 });
  sse.connections[0]!.end();
  await vi.advanceTimersByTimeAsync(0);
  expect(events.map((e) => e.kind)).toEqual(['hello', 'resync']);
  expect(sse.connections).toHaveLength(2);
  expect(sse.connections[1]!.url).toBe('/events');
  expect(sse.connections[1]!.headers['Last-Event-ID']).toBeUndefined();
  handle.close();
});

test('a silent connection is dropped after the idle timeout', async () => {
  const sse = createSseFetch();
  const { states, handle } = open(sse);
  await vi.advanceTimersByTimeAsync(0);
  sse.connections[0]!.event('hello', { seq: 5, log_id: 'L' });
  await vi.advanceTimersByTimeAsync(44_000);
  sse.connections[0]!.send(': keepalive\n\n');
  await vi.advanceTimersByTimeAsync(44_000);
  expect(sse.connections[0]!.aborted).toBe(false);
  await vi.advanceTimersByTimeAsync(2_000);
  expect(sse.connections[0]!.aborted).toBe(true);
  expect(states.at(-1)).toBe('reconnecting');
  handle.close();
});

test('401 stops the stream and says unauthorized', async () => {
  const sse = createSseFetch(401);
  const { states } = open(sse);
  await vi.advanceTimersByTimeAsync(60_000);
  expect(states).toEqual(['connecting', 'unauthorized']);
});

test('an event that does not parse is reported, naming it and the field, and never applied', async () => {
  const sse = createSseFetch();
  const errors: string[] = [];
  const events: FeedEvent[] = [];
  const handle = openStream({
    fetch: sse.fetch,
    cursor: { seq: 5, log_id: null },
    onEvent: (e) => events.push(e),
    onState: () => {},
    onError: (e) => errors.push(e.message),
  });
  await vi.advanceTimersByTimeAsync(0);
  const conn = sse.connections[0]!;
  conn.event('hello', { seq: 5, log_id: 'L' });
  conn.event('item-updated', itemUpdate({ seq: 6, star: 9 }), 6);
  conn.send('event: presence\ndata: {not json\n\n');
  conn.event('views-updated', { revision: 2 });
  conn.event('some-new-event', { x: 1 });
  await vi.advanceTimersByTimeAsync(0);
  expect(errors).toEqual([
    'live event item-updated: star: above the maximum 5',
    'live event presence: the data is not JSON',
  ]);
  expect(events).toEqual([
    { kind: 'hello', data: { seq: 5, log_id: 'L' } },
    { kind: 'views', data: { revision: 2 } },
  ]);
  // The refused record did not move the resume point.
  conn.end();
  await vi.advanceTimersByTimeAsync(BACKOFF_MIN_MS);
  expect(sse.connections[1]!.headers['Last-Event-ID']).toBe('5');
  handle.close();
});

test('every event of core’s table is read into its feed event', () => {
  const cases: [string, unknown, FeedEvent['kind']][] = [
    ['hello', { seq: 1, log_id: 'L' }, 'hello'],
    ['item-updated', itemUpdate(), 'item'],
    ['metrics-updated', itemUpdate(), 'item'],
    ['presence', { gallery_id: '/', viewing: 1, editing: 0 }, 'presence'],
    ['persistence', persistenceEvent('memory', 'no disk'), 'persistence'],
    ['folder-updated', { path: '/a', added: 1, removed: 0, changed: 0 }, 'folder'],
    ['resync-required', { reason: 'log_replaced', seq: 0 }, 'resync'],
    ['views-updated', { revision: 1 }, 'views'],
    [
      'table-updated',
      {
        prefix: '/',
        generation: 2,
        state: 'ready',
        rows: 270,
        added: 0,
        removed: 30,
        changed: 270,
        error: null,
      },
      'table',
    ],
  ];
  for (const [name, data, kind] of cases) {
    expect(readFeedEvent(name, JSON.stringify(data))).toEqual({ kind, data });
  }
  expect(() =>
    readFeedEvent('presence', '{"gallery_id":"a\\\\b","viewing":1,"editing":0}'),
  ).toThrow('live event presence: gallery_id: not a canonical path');
});
