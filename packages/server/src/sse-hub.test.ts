import { EventEmitter } from 'node:events';
import { openMemoryStore } from '@lenslet/store';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { p } from './live-test-kit.ts';
import { SseHub, type SseSink } from './sse-hub.ts';
import { SyncReporter } from './sync-state.ts';

/** A sink that records each (corked) write and can pretend the socket is full. */
class FakeSink extends EventEmitter implements SseSink {
  /** One entry per uncorked write batch. */
  readonly writes: { at: number; text: string }[] = [];
  writableLength = 0;
  full = false;
  destroyed = false;
  ended = false;
  #corked: string[] | null = null;

  write(chunk: Buffer | string): boolean {
    const text = chunk.toString();
    if (this.#corked) this.#corked.push(text);
    else this.writes.push({ at: Date.now(), text });
    if (this.full) this.writableLength += text.length;
    return !this.full;
  }
  cork(): void {
    this.#corked = [];
  }
  uncork(): void {
    if (this.#corked && this.#corked.length > 0) {
      this.writes.push({ at: Date.now(), text: this.#corked.join('') });
    }
    this.#corked = null;
  }
  end(): void {
    this.ended = true;
    this.emit('close');
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  drain(): void {
    this.full = false;
    this.writableLength = 0;
    this.emit('drain');
  }
  text(): string {
    return this.writes.map((w) => w.text).join('');
  }
}

const store = () => openMemoryStore();
let hub: SseHub | undefined;

beforeEach(() => {
  vi.useFakeTimers({
    now: 1_000_000,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
  });
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  vi.useRealTimers();
});

let n = 0;
const write = (s: ReturnType<typeof openMemoryStore>, path = '/a.jpg') =>
  s.apply(
    { path: p(path), patch: { add_tags: [`t${++n}`] } },
    { actor: 'ana', mutation_id: `key-${String(n).padStart(8, '0')}`, mode: 'patch' },
  );

test('a burst of events reaches each stream in one coalesced write', async () => {
  const s = store();
  hub = new SseHub(s, () => []);
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

test('writes to one stream are at least 5 ms apart', async () => {
  const s = store();
  hub = new SseHub(s, () => []);
  const sink = new FakeSink();
  await hub.open(sink, { last_event_id: null, log_id: null });
  for (let i = 0; i < 50; i++) {
    hub.broadcast('presence', { gallery_id: p('/'), viewing: i, editing: 0 });
    await vi.advanceTimersByTimeAsync(1);
  }
  await vi.advanceTimersByTimeAsync(10);
  const times = sink.writes.slice(1).map((w) => w.at);
  for (let i = 1; i < times.length; i++)
    expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(5);
  expect(sink.text().match(/event: presence/g)).toHaveLength(50);
});

test('a stream whose unsent bytes pass 1 MiB is disconnected, not skipped', async () => {
  const s = store();
  hub = new SseHub(s, () => []);
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
  hub = new SseHub(s, () => []);
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
  hub = new SseHub(s, () => []);
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

test('an idle stream gets a keepalive comment every 15 s', async () => {
  const s = store();
  hub = new SseHub(s, () => []);
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
  hub = new SseHub(s, () => [{ gallery_id: p('/'), viewing: 2, editing: 1 }]);
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
  hub = new SseHub(s, () => []);
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
  hub = new SseHub(s, () => []);
  const sink = new FakeSink();
  expect(await hub.open(sink, { last_event_id: 9, log_id: s.log_id })).toBe('resync');
  expect(sink.text()).toContain('event: resync-required\ndata: {"reason":"ahead_of_head","seq":1}');
  expect(sink.ended).toBe(true);
  expect(hub.stats()).toMatchObject({ clients: 0 });
});

test('a stream that stalls during its replay is disconnected after the drain timeout', async () => {
  const s = store();
  for (let i = 0; i < 5; i++) await write(s);
  hub = new SseHub(s, () => []);
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
  hub = new SseHub(s, () => []);
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

test('stats report how long events waited before reaching a stream', async () => {
  const s = store();
  hub = new SseHub(s, () => []);
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
