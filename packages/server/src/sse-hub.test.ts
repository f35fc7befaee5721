/**
 * The hub's stream life cycle with fake sockets: hello, replay, presence and live in order, no gap
 * or duplicate across replay → live, resync, keepalive, a client that stalls or leaves mid-replay.
 * How live events are written (when, batched how, slow clients): sse-hub-delivery.test.ts.
 */
import { expect, test, vi } from 'vitest';
import { FakeSink } from './fake-sse-sink.ts';
import { p } from './live-test-kit.ts';
import { hubPerTest, store, write } from './sse-hub-test-kit.ts';

const newHub = hubPerTest();

test('an idle stream gets a keepalive comment every 15 s', async () => {
  const s = store();
  const hub = newHub(s, () => []);
  const sink = new FakeSink();
  await hub.open(sink, { last_event_id: null, log_id: null });
  await vi.advanceTimersByTimeAsync(14_000);
  expect(sink.text()).not.toContain(': keepalive');
  await vi.advanceTimersByTimeAsync(1_100);
  expect(sink.text().match(/^: keepalive$/gm)).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(15_000);
  expect(sink.text().match(/^: keepalive$/gm)).toHaveLength(2);
});

test('the stream starts with hello, replays, then presence, then live records', async () => {
  const s = store();
  for (let i = 0; i < 3; i++) await write(s);
  const hub = newHub(s, () => [{ gallery_id: p('/'), viewing: 2, editing: 1 }]);
  const sink = new FakeSink();
  await hub.open(sink, { last_event_id: 1, log_id: s.log_id });
  await write(s);
  await vi.advanceTimersByTimeAsync(10);
  const text = sink.text();
  const order = [...text.matchAll(/^(event: .+|id: .+)$/gm)].map((m) => m[1]);
  expect(order).toEqual([
    'event: hello',
    'event: item-updated',
    'id: 2',
    'event: item-updated',
    'id: 3',
    'event: presence',
    'event: persistence',
    'event: item-updated',
    'id: 4',
  ]);
  expect(text).toContain(`data: {"seq":3,"log_id":"${s.log_id}"}`);
});

test('records made durable during the replay are sent once, in order', async () => {
  const s = store();
  for (let i = 0; i < 200; i++) await write(s, `/i${i % 7}.jpg`);
  const hub = newHub(s, () => []);
  const sink = new FakeSink();
  const opening = hub.open(sink, { last_event_id: 0, log_id: null });
  const writing = Promise.all(Array.from({ length: 50 }, (_, i) => write(s, `/j${i % 5}.jpg`)));
  await opening;
  await writing;
  await vi.advanceTimersByTimeAsync(20);
  const ids = [...sink.text().matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
});

test('a resync answers hello and resync-required, then ends the stream', async () => {
  const s = store();
  await write(s);
  const hub = newHub(s, () => []);
  const sink = new FakeSink();
  expect(await hub.open(sink, { last_event_id: 9, log_id: null })).toBe('resync');
  expect(sink.text()).toContain('event: resync-required\ndata: {"reason":"ahead_of_head","seq":1}');
  expect(sink.ended).toBe(true);
  expect(hub.stats()).toMatchObject({ clients: 0 });
});

test('a stream that stalls during its replay is disconnected after the drain timeout', async () => {
  const s = store();
  for (let i = 0; i < 5; i++) await write(s);
  const hub = newHub(s, () => []);
  const sink = new FakeSink();
  sink.full = true;
  const opening = hub.open(sink, { last_event_id: 0, log_id: null });
  await vi.advanceTimersByTimeAsync(9_000);
  expect(sink.destroyed).toBe(false);
  await vi.advanceTimersByTimeAsync(2_000);
  expect(await opening).toBe('closed');
  expect(sink.destroyed).toBe(true);
  expect(hub.stats()).toMatchObject({
    clients: 0,
    disconnected: expect.objectContaining({ stalled: 1 }),
  });
});

test('a client that goes away during its replay frees its stream at once', async () => {
  const s = store();
  for (let i = 0; i < 5; i++) await write(s);
  const hub = newHub(s, () => []);
  const sink = new FakeSink();
  sink.full = true;
  const opening = hub.open(sink, { last_event_id: 0, log_id: null });
  await vi.advanceTimersByTimeAsync(10);
  sink.emit('close');
  expect(await opening).toBe('closed');
  expect(hub.stats()).toMatchObject({
    clients: 0,
    disconnected: expect.objectContaining({ stalled: 0 }),
  });
});
