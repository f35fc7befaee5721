import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { type FeedStatus, openFeed } from './feed.ts';
import { type FeedEvent, openStream } from './stream.ts';
import {
  createFakeChannelHub,
  createFakeLocks,
  createSseFetch,
  itemUpdate,
} from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function tab(
  sse: ReturnType<typeof createSseFetch>,
  locks: ReturnType<typeof createFakeLocks>,
  hub: ReturnType<typeof createFakeChannelHub>,
) {
  const events: FeedEvent[] = [];
  const statuses: FeedStatus[] = [];
  const feed = openFeed({ locks, channel: hub.open(), connect: openStream, fetch: sse.fetch });
  feed.onEvent((e) => events.push(e));
  feed.onStatus((s) => statuses.push(s));
  return { feed, events, statuses };
}

test('one tab holds the stream and the others receive its events', async () => {
  const sse = createSseFetch();
  const locks = createFakeLocks();
  const hub = createFakeChannelHub();
  const tabs = [tab(sse, locks, hub), tab(sse, locks, hub), tab(sse, locks, hub)];
  for (const t of tabs) t.feed.start(10);
  await vi.advanceTimersByTimeAsync(0);
  expect(sse.connections).toHaveLength(1);
  sse.connections[0]!.event('hello', { seq: 10, log_id: 'L' });
  sse.connections[0]!.event('item-updated', itemUpdate({ seq: 11 }), 11);
  await vi.advanceTimersByTimeAsync(0);
  for (const t of tabs) {
    expect(t.events.map((e) => e.kind)).toEqual(['hello', 'item']);
    expect(t.statuses.at(-1)?.state).toBe('live');
  }
  expect(tabs.filter((t) => t.statuses.at(-1)?.leader)).toHaveLength(1);
});

test('when the leader closes, the next tab leads and resumes from the last relayed seq', async () => {
  const sse = createSseFetch();
  const locks = createFakeLocks();
  const hub = createFakeChannelHub();
  const a = tab(sse, locks, hub);
  const b = tab(sse, locks, hub);
  a.feed.start(10);
  b.feed.start(12);
  await vi.advanceTimersByTimeAsync(0);
  const first = sse.connections[0]!;
  first.event('hello', { seq: 10, log_id: 'L' });
  first.event('item-updated', itemUpdate({ seq: 11 }), 11);
  await vi.advanceTimersByTimeAsync(0);
  a.feed.close();
  await vi.advanceTimersByTimeAsync(0);
  expect(first.aborted).toBe(true);
  expect(sse.connections).toHaveLength(2);
  const second = sse.connections[1]!;
  // b loaded at 12 but only saw 11 relayed: it resumes from 11 so nothing between is lost.
  expect(second.headers['Last-Event-ID']).toBe('11');
  expect(second.url).toContain('log_id=L');
  second.event('hello', { seq: 12, log_id: 'L' });
  await vi.advanceTimersByTimeAsync(0);
  expect(b.statuses.at(-1)).toEqual({ state: 'live', failures: 0, leader: true });
});

test('a tab that joins late learns the log and state from the leader', async () => {
  const sse = createSseFetch();
  const locks = createFakeLocks();
  const hub = createFakeChannelHub();
  const a = tab(sse, locks, hub);
  a.feed.start(1);
  await vi.advanceTimersByTimeAsync(0);
  sse.connections[0]!.event('hello', { seq: 1, log_id: 'L' });
  await vi.advanceTimersByTimeAsync(0);
  const late = tab(sse, locks, hub);
  late.feed.start(1);
  await vi.advanceTimersByTimeAsync(0);
  expect(late.events).toEqual([{ kind: 'hello', data: { seq: 1, log_id: 'L' } }]);
  expect(late.statuses.at(-1)?.state).toBe('live');
});

test('without Web Locks every tab holds its own stream', async () => {
  const sse = createSseFetch();
  const hub = createFakeChannelHub();
  for (let i = 0; i < 2; i++) {
    openFeed({ locks: null, channel: hub.open(), connect: openStream, fetch: sse.fetch }).start(0);
  }
  await vi.advanceTimersByTimeAsync(0);
  expect(sse.connections).toHaveLength(2);
});

test('an event the leader could not parse is shown in every tab', async () => {
  const sse = createSseFetch();
  const locks = createFakeLocks();
  const hub = createFakeChannelHub();
  const tabs = [tab(sse, locks, hub), tab(sse, locks, hub)];
  const errors = tabs.map((t) => {
    const seen: string[] = [];
    t.feed.onError((e) => seen.push(e.message));
    return seen;
  });
  for (const t of tabs) t.feed.start(10);
  await vi.advanceTimersByTimeAsync(0);
  sse.connections[0]!.event('hello', { seq: 10, log_id: 'L' });
  sse.connections[0]!.event('resync-required', { reason: 'bored', seq: 10 });
  await vi.advanceTimersByTimeAsync(0);
  const message =
    'live event resync-required: reason: expected "log_replaced" or "ahead_of_head" or ' +
    '"history_unavailable" or "too_far_behind"';
  expect(errors).toEqual([[message], [message]]);
  for (const t of tabs) expect(t.events.map((e) => e.kind)).toEqual(['hello']);
});
