/**
 * Test double of an SSE socket (unit tests only; integration tests use a real port): records each
 * write (its text, and the chunk object itself, so a test can see one Buffer shared by streams)
 * and can pretend the socket is full (`full`: writes return false until `drain()`) or slow (`lagging`: writes are accepted but stay buffered, their callbacks held,
 * until `finishWrites()`). Otherwise a write's callback runs on the next tick, as a socket's does
 * when the kernel takes the bytes at once.
 */
import { EventEmitter } from 'node:events';
import type { SseSink } from './sse-stream.ts';

type Callback = (error?: Error | null) => void;

export class FakeSink extends EventEmitter implements SseSink {
  /** One entry per write. */
  readonly writes: { at: number; text: string; chunk: Buffer | string }[] = [];
  writableLength = 0;
  full = false;
  lagging = false;
  destroyed = false;
  ended = false;
  #held: Callback[] = [];

  write(chunk: Buffer | string, callback?: Callback): boolean {
    const text = chunk.toString();
    this.writes.push({ at: Date.now(), text, chunk });
    if (this.full || this.lagging) this.writableLength += text.length;
    if (callback && (this.full || this.lagging)) this.#held.push(callback);
    else if (callback) process.nextTick(callback);
    return !this.full;
  }
  end(): void {
    this.ended = true;
    this.emit('close');
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  /** A full socket empties: 'drain', then the held write callbacks (as node orders them). */
  drain(): void {
    this.full = false;
    this.writableLength = 0;
    this.emit('drain');
    this.#release();
  }
  /** A slow socket catches up: the buffered bytes leave, the held callbacks run. */
  finishWrites(): void {
    this.lagging = false;
    this.writableLength = 0;
    this.#release();
  }
  #release(): void {
    const held = this.#held;
    this.#held = [];
    for (const callback of held) callback(null);
  }
  text(): string {
    return this.writes.map((w) => w.text).join('');
  }
}
