/**
 * Shared by the hub's unit tests (sse-hub*.test.ts): a memory store, one record per `write`, and
 * the fake clock they run on (timers, Date and performance faked; ticks and immediates real, so a
 * test can let the hub's end-of-turn flush run without moving the clock).
 */
import { openMemoryStore } from '@lenslet/store';
import { afterEach, beforeEach, vi } from 'vitest';
import { FakeSink } from './fake-sse-sink.ts';
import { p } from './live-test-kit.ts';
import { SseHub } from './sse-hub.ts';

export const store = () => openMemoryStore();

let n = 0;
/** One new record (a new tag) on `path`. */
export const write = (s: ReturnType<typeof openMemoryStore>, path = '/a.jpg') =>
  s.apply(
    { path: p(path), patch: { add_tags: [`t${++n}`] } },
    { actor: 'ana', mutation_id: `key-${String(n).padStart(8, '0')}`, mode: 'patch' },
  );

export const FAKE_CLOCK: Parameters<typeof vi.useFakeTimers>[0] = {
  now: 1_000_000,
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
};

/** Let the current turn end (ticks, promises, then immediates), without moving the fake clock. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Fake timers for every test of the file, and the hub a test makes with the returned function
 * closed after that test.
 */
export function hubPerTest() {
  let hub: SseHub | undefined;
  beforeEach(() => {
    vi.useFakeTimers(FAKE_CLOCK);
  });
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
    vi.useRealTimers();
  });
  return (...args: ConstructorParameters<typeof SseHub>): SseHub => {
    hub = new SseHub(...args);
    return hub;
  };
}

/**
 * A hub made with `newHub` (from `hubPerTest`) over a fresh store with `count` live streams,
 * their greetings written and forgotten.
 */
export async function liveStreams(newHub: ReturnType<typeof hubPerTest>, count: number) {
  const s = store();
  const hub = newHub(s, () => []);
  const sinks = Array.from({ length: count }, () => new FakeSink());
  for (const sink of sinks) await hub.open(sink, { last_event_id: null, log_id: null });
  await nextTurn();
  for (const sink of sinks) sink.writes.length = 0;
  return { s, hub, sinks: sinks as [FakeSink, ...FakeSink[]] };
}
