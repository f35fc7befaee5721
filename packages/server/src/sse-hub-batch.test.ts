/**
 * How the hub batches live events across streams (sse-batch.ts), with fake sockets: the events of
 * one turn are joined into one Buffer that every idle stream writes, in delivery order, while a
 * stream held behind a write in flight still coalesces on its own and keeps every event.
 */
import { expect, test } from 'vitest';
import { FakeSink } from './fake-sse-sink.ts';
import { p } from './live-test-kit.ts';
import { hubPerTest, liveStreams, nextTurn, store, write } from './sse-hub-test-kit.ts';

const newHub = hubPerTest();

const events = (text: string) =>
  [...text.matchAll(/^(event: .+|id: .+|data: \{"revision".+)$/gm)].map((m) => m[1]);

test('the events of one turn are written as ONE shared Buffer to every idle stream', async () => {
  const { s, hub, sinks } = await liveStreams(newHub, 3);
  const before = hub.stats().shared_writes_total as number;
  await Promise.all([write(s), write(s)]);
  hub.broadcast('views-updated', { revision: 1 });
  await nextTurn();
  const chunks = sinks.map((sink) => {
    expect(sink.writes).toHaveLength(1);
    return sink.writes[0]!.chunk;
  });
  expect(chunks[1]).toBe(chunks[0]);
  expect(chunks[2]).toBe(chunks[0]);
  expect(hub.stats().shared_writes_total).toBe(before + 3);
});

test('a batch keeps the order in which records and broadcasts were delivered', async () => {
  const { s, hub, sinks } = await liveStreams(newHub, 2);
  hub.broadcast('views-updated', { revision: 1 });
  await write(s);
  hub.broadcast('views-updated', { revision: 2 });
  await write(s);
  hub.broadcast('views-updated', { revision: 3 });
  await nextTurn();
  for (const sink of sinks) {
    expect(sink.writes).toHaveLength(1);
    expect(events(sink.text())).toEqual([
      'event: views-updated',
      'data: {"revision":1}',
      'event: item-updated',
      'id: 1',
      'event: views-updated',
      'data: {"revision":2}',
      'event: item-updated',
      'id: 2',
      'event: views-updated',
      'data: {"revision":3}',
    ]);
  }
});

test('a stream behind a write in flight coalesces on its own; the others keep sharing', async () => {
  const { s, sinks } = await liveStreams(newHub, 3);
  const [slow, ...fast] = sinks as [FakeSink, FakeSink, FakeSink];
  slow.lagging = true;
  for (let i = 0; i < 3; i++) {
    await write(s);
    await nextTurn();
    expect(fast[1]!.writes[i]!.chunk).toBe(fast[0]!.writes[i]!.chunk);
  }
  // The slow stream wrote the first event (shared), then waited while two more arrived.
  expect(slow.writes).toHaveLength(1);
  expect(slow.writes[0]!.chunk).toBe(fast[0]!.writes[0]!.chunk);
  slow.finishWrites();
  await nextTurn();
  expect(slow.writes).toHaveLength(2);
  expect(slow.writes[1]!.text.match(/^id: \d+$/gm)).toEqual(['id: 2', 'id: 3']);
  for (const sink of sinks) {
    expect(sink.text().match(/^id: \d+$/gm)).toEqual(['id: 1', 'id: 2', 'id: 3']);
  }
  // Its own batch (events of two turns) is not any turn's shared Buffer.
  expect(fast.flatMap((f) => f.writes.map((w) => w.chunk))).not.toContain(slow.writes[1]!.chunk);
});

test('a stream that goes live during a turn writes its greeting and the events in its own Buffer', async () => {
  const s = store();
  const hub = newHub(s, () => [{ gallery_id: p('/'), viewing: 1, editing: 0 }]);
  const old = new FakeSink();
  await hub.open(old, { last_event_id: null, log_id: null });
  await nextTurn();
  old.writes.length = 0;
  const late = new FakeSink();
  const opening = hub.open(late, { last_event_id: null, log_id: null });
  // Delivered while the new stream catches up: it waits in that stream's backlog.
  hub.broadcast('views-updated', { revision: 7 });
  await opening;
  await nextTurn();
  expect(old.writes.map((w) => w.text)).toEqual(['event: views-updated\ndata: {"revision":7}\n\n']);
  const last = late.writes.at(-1)!;
  expect(last.chunk).not.toBe(old.writes[0]!.chunk);
  expect(last.text.match(/^event: .+$/gm)).toEqual([
    'event: presence',
    'event: persistence',
    'event: views-updated',
  ]);
  expect(late.text().match(/^event: .+$/gm)?.[0]).toBe('event: hello');
});
