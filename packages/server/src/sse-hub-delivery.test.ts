/**
 * How the hub writes live events, with fake sockets: at once to an idle stream (same turn, no
 * timer), one write per stream per turn, events that arrive while a write is in flight batched
 * into the next one, and the slow-client rules (unsent bytes, no drain, no finished write).
 */
import { expect, test, vi } from 'vitest';
import { FakeSink } from './fake-sse-sink.ts';
import { hubPerTest, liveStreams, nextTurn, store, write } from './sse-hub-test-kit.ts';
import { SyncReporter } from './sync-state.ts';

const newHub = hubPerTest();

test('a burst of events reaches each stream in one coalesced write', async () => {
  const s = store();
  const hub = newHub(s, () => []);
  const sinks = [new FakeSink(), new FakeSink()];
  for (const sink of sinks) await hub.open(sink, { last_event_id: null, log_id: null });
  await vi.advanceTimersByTimeAsync(10);
  for (const sink of sinks) sink.writes.length = 0;
  await Promise.all(Array.from({ length: 20 }, () => write(s)));
  hub.broadcast('views-updated', { revision: 1 });
  await vi.advanceTimersByTimeAsync(10);
  for (const sink of sinks) {
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]!.text.match(/^event: item-updated$/gm)).toHaveLength(20);
    expect(sink.writes[0]!.text).toContain('event: views-updated\ndata: {"revision":1}');
  }
});

test('a stream whose unsent bytes pass 1 MiB is disconnected, not skipped', async () => {
  const s = store();
  const hub = newHub(s, () => []);
  const slow = new FakeSink();
  const fast = new FakeSink();
  await hub.open(slow, { last_event_id: null, log_id: null });
  await hub.open(fast, { last_event_id: null, log_id: null });
  await vi.advanceTimersByTimeAsync(10);
  slow.full = true;
  const big = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 20 && !slow.destroyed; i++) {
    hub.broadcast('persistence', { ...new SyncReporter(s).frame(), error: big });
    await vi.advanceTimersByTimeAsync(6);
  }
  expect(slow.destroyed).toBe(true);
  expect(fast.destroyed).toBe(false);
  expect(hub.stats()).toMatchObject({
    clients: 1,
    disconnected: { slow: 1, stalled: 0, backlog: 0 },
  });
});

test('a stream that does not drain for 10 s is disconnected', async () => {
  const s = store();
  const hub = newHub(s, () => []);
  const sink = new FakeSink();
  await hub.open(sink, { last_event_id: null, log_id: null });
  sink.full = true;
  hub.broadcast('views-updated', { revision: 1 });
  await vi.advanceTimersByTimeAsync(9_000);
  expect(sink.destroyed).toBe(false);
  await vi.advanceTimersByTimeAsync(2_000);
  expect(sink.destroyed).toBe(true);
  expect(hub.stats()).toMatchObject({ disconnected: expect.objectContaining({ stalled: 1 }) });
});

test('a stream that drains in time keeps everything, in order', async () => {
  const s = store();
  const hub = newHub(s, () => []);
  const sink = new FakeSink();
  await hub.open(sink, { last_event_id: null, log_id: null });
  sink.full = true;
  await write(s);
  await vi.advanceTimersByTimeAsync(10);
  await write(s);
  await write(s);
  await vi.advanceTimersByTimeAsync(10);
  expect(sink.text().match(/^id: \d+$/gm)).toEqual(['id: 1']);
  sink.drain();
  await vi.advanceTimersByTimeAsync(10);
  expect(sink.text().match(/^id: \d+$/gm)).toEqual(['id: 1', 'id: 2', 'id: 3']);
  expect(sink.destroyed).toBe(false);
});

test('stats report how long events waited before reaching a stream', async () => {
  const s = store();
  const hub = newHub(s, () => []);
  const sink = new FakeSink();
  await hub.open(sink, { last_event_id: null, log_id: null });
  await vi.advanceTimersByTimeAsync(10);
  hub.broadcast('views-updated', { revision: 1 });
  await vi.advanceTimersByTimeAsync(1);
  hub.broadcast('views-updated', { revision: 1 });
  await vi.advanceTimersByTimeAsync(10);
  const lag = hub.stats().delivery_lag_ms as { p50: number; max: number; samples: number };
  expect(lag.samples).toBeGreaterThanOrEqual(2);
  expect(lag.max).toBeLessThanOrEqual(5);
});

test('an idle stream gets an event in the turn it happens, with no timer to wait for', async () => {
  const {
    s,
    hub: live,
    sinks: [sink],
  } = await liveStreams(newHub, 1);
  live.broadcast('views-updated', { revision: 1 });
  await nextTurn();
  expect(sink.writes.map((w) => w.text)).toEqual([
    'event: views-updated\ndata: {"revision":1}\n\n',
  ]);
  await write(s);
  await nextTurn();
  expect(sink.writes).toHaveLength(2);
  expect(sink.writes[1]!.text).toMatch(/^event: item-updated\nid: 1\n/);
  expect(vi.getTimerCount()).toBe(2); // the watchdog and the keepalive, nothing else
});

test('events of one turn go out in one write per stream', async () => {
  const {
    hub: live,
    sinks: [sink],
  } = await liveStreams(newHub, 1);
  for (let i = 1; i <= 3; i++) live.broadcast('views-updated', { revision: i });
  await nextTurn();
  expect(sink.writes).toHaveLength(1);
  expect(sink.writes[0]!.text.match(/"revision":\d/g)).toEqual([
    '"revision":1',
    '"revision":2',
    '"revision":3',
  ]);
});

test('while a write is in flight, new events wait and then go out together in one write', async () => {
  const {
    s,
    hub: live,
    sinks: [sink],
  } = await liveStreams(newHub, 1);
  sink.lagging = true;
  await write(s);
  await nextTurn();
  expect(sink.writes).toHaveLength(1);
  for (let i = 0; i < 4; i++) {
    await write(s);
    await nextTurn();
  }
  expect(sink.writes).toHaveLength(1);
  sink.finishWrites();
  await nextTurn();
  expect(sink.writes).toHaveLength(2);
  expect(sink.writes[1]!.text.match(/^id: \d+$/gm)).toEqual(['id: 2', 'id: 3', 'id: 4', 'id: 5']);
  // Idle again: the next event is not held back.
  await write(s);
  await nextTurn();
  expect(sink.writes).toHaveLength(3);
  expect(live.stats()).toMatchObject({ frames_total: 6, writes_total: 4 });
});

test('a stream waiting for its socket holds back no other stream', async () => {
  const { s, sinks } = await liveStreams(newHub, 2);
  const [slow, fast] = sinks as [FakeSink, FakeSink];
  slow.lagging = true;
  for (let i = 0; i < 3; i++) {
    await write(s);
    await nextTurn();
    expect(fast.writes).toHaveLength(i + 1);
  }
  expect(fast.text().match(/^id: \d+$/gm)).toEqual(['id: 1', 'id: 2', 'id: 3']);
  expect(slow.text().match(/^id: \d+$/gm)).toEqual(['id: 1']);
});

test('a full socket gets nothing until it drains, then everything pending in one write', async () => {
  const {
    s,
    sinks: [sink],
  } = await liveStreams(newHub, 1);
  sink.full = true;
  for (let i = 0; i < 3; i++) {
    await write(s);
    await nextTurn();
  }
  expect(sink.writes).toHaveLength(1);
  sink.drain();
  await nextTurn();
  expect(sink.writes).toHaveLength(2);
  expect(sink.writes[1]!.text.match(/^id: \d+$/gm)).toEqual(['id: 2', 'id: 3']);
});

test('a write that does not finish within the drain timeout disconnects the stream', async () => {
  const {
    hub: live,
    sinks: [sink],
  } = await liveStreams(newHub, 1);
  sink.lagging = true;
  live.broadcast('views-updated', { revision: 1 });
  await vi.advanceTimersByTimeAsync(9_000);
  expect(sink.destroyed).toBe(false);
  await vi.advanceTimersByTimeAsync(2_000);
  expect(sink.destroyed).toBe(true);
  expect(live.stats()).toMatchObject({ disconnected: expect.objectContaining({ stalled: 1 }) });
});

test('events held behind a write in flight count as unsent: past 1 MiB the stream is disconnected', async () => {
  const {
    s,
    hub: live,
    sinks: [sink],
  } = await liveStreams(newHub, 1);
  sink.lagging = true;
  const big = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 20 && !sink.destroyed; i++) {
    live.broadcast('persistence', { ...new SyncReporter(s).frame(), error: big });
    await nextTurn();
  }
  expect(sink.destroyed).toBe(true);
  // One write went out; the rest waited behind it until the limit.
  expect(sink.writes.filter((w) => w.text.includes('event: persistence'))).toHaveLength(1);
  expect(live.stats()).toMatchObject({ disconnected: { slow: 1, stalled: 0, backlog: 0 } });
});
