/**
 * One client's live stream: what it has been sent, what waits to be written, and whether its
 * socket keeps up. While the stream catches up (hello + replay), live frames wait in a backlog;
 * once live, frames wait in `pending` until the hub's next flush writes them in one write (the
 * turn's shared Buffer when they are exactly the turn's frames, sse-batch.ts).
 *
 * A stream has at most one write in flight. A write the kernel takes at once leaves the stream
 * idle, so the next event goes out in the same event-loop turn; a write that stays buffered
 * (`writableLength > 0`) makes the stream busy until its callback (or `drain` for a full socket),
 * and the events that arrive meanwhile wait in `pending` and go out together in the next write.
 * Batching therefore grows with load and adds no wait at rest.
 *
 * A stream never skips a frame: when it cannot keep up (`max_unsent_bytes` unsent, a backlog past
 * `max_backlog_bytes`, or a write not done within `drain_timeout_ms`) the caller disconnects it
 * and the client resumes from its last id.
 */

import type { TurnBatch } from './sse-batch.ts';

/** What a stream is written to: a response's socket (sse-socket-sink.ts), or a test double. */
export interface SseSink {
  /** `callback` runs once the chunk has left the sink's buffer (written to the socket). */
  write(chunk: Buffer | string, callback?: (error?: Error | null) => void): boolean;
  readonly writableLength: number;
  end(): void;
  destroy(): void;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/** One serialized event; `seq` is set for label records only. */
export type Frame = { readonly seq: number | null; readonly event: string; readonly bytes: Buffer };

export type StreamLimits = {
  readonly max_unsent_bytes: number;
  readonly max_backlog_bytes: number;
  readonly drain_timeout_ms: number;
};

/** Why a stream must be disconnected. */
export type Overflow = 'slow' | 'backlog';

export class SseStream {
  state: 'catching_up' | 'live' | 'closed' = 'catching_up';
  /** Highest record seq sent (or skipped because the client already has it). */
  sent_seq = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #backlog: Frame[] = [];
  #backlogBytes = 0;
  /** The last write left bytes in the sink: wait for its callback (or `drain`) before the next. */
  #busy: 'drain' | 'callback' | null = null;
  /** Write callbacks not yet run; the stream is done with a 'callback' wait when this reaches 0. */
  #unfinished = 0;
  #blockedSince: number | null = null;
  /** When the oldest frame now pending was queued (ms), for the hub's delivery-lag figures. */
  #pendingSince: number | null = null;
  readonly #written = (): void => {
    this.#unfinished -= 1;
    if (this.#unfinished === 0 && this.#busy === 'callback') this.#idle();
  };

  /** `ready` runs when a busy stream becomes idle with frames pending (the hub flushes it). */
  constructor(
    readonly sink: SseSink,
    readonly limits: StreamLimits,
    private readonly ready: (stream: SseStream) => void = () => {},
  ) {}

  get hasPending(): boolean {
    return this.#pending.length > 0;
  }

  /** Ready for the next write (live, something pending, no write in flight). */
  get writable(): boolean {
    return this.state === 'live' && this.#busy === null && this.#pending.length > 0;
  }

  /** A live frame for this stream (queued at `now`); returns why it must be disconnected, or null. */
  deliver(frame: Frame, now: number): Overflow | null {
    if (this.state === 'catching_up') {
      this.#backlog.push(frame);
      this.#backlogBytes += frame.bytes.length;
      return this.#backlogBytes > this.limits.max_backlog_bytes ? 'backlog' : null;
    }
    if (this.state === 'closed') return null;
    if (frame.seq !== null) {
      if (frame.seq <= this.sent_seq) return null;
      this.sent_seq = frame.seq;
    }
    this.#queue(frame.bytes, now);
    const unsent = this.#pendingBytes + this.sink.writableLength;
    return unsent > this.limits.max_unsent_bytes ? 'slow' : null;
  }

  /**
   * Caught up: queue `first` (presence, persistence), then the backlog minus records already
   * replayed and minus presence events (`first` is newer), and go live. Synchronous, so no
   * durable batch can slip between the replay and the live frames.
   */
  goLive(first: readonly Buffer[], now: number): void {
    const backlog = this.#backlog;
    this.#backlog = [];
    this.#backlogBytes = 0;
    for (const bytes of first) this.#queue(bytes, now);
    for (const frame of backlog) {
      if (frame.seq === null) {
        if (frame.event !== 'presence') this.#queue(frame.bytes, now);
      } else if (frame.seq > this.sent_seq) {
        this.#queue(frame.bytes, now);
        this.sent_seq = frame.seq;
      }
    }
    this.state = 'live';
  }

  #queue(bytes: Buffer, now: number): void {
    if (this.#pending.length === 0) this.#pendingSince = now;
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
  }

  /**
   * Write everything pending in ONE write (one Buffer, one HTTP chunk): the turn's shared Buffer
   * when the pending frames are exactly `turn`'s (`shared`), else their own concatenation.
   * `waited`: how long the oldest of those frames waited (ms).
   */
  flush(now: number, turn?: TurnBatch): { waited: number; shared: boolean } {
    const chunks = this.#pending;
    const size = this.#pendingBytes;
    const waited = this.#pendingSince === null ? 0 : now - this.#pendingSince;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingSince = null;
    const shared = turn?.matches(chunks) === true;
    const bytes = shared
      ? turn!.bytes()
      : chunks.length === 1
        ? chunks[0]!
        : Buffer.concat(chunks, size);
    this.#unfinished += 1;
    const ok = this.sink.write(bytes, this.#written);
    if (!ok) {
      this.#busy = 'drain';
      this.#blockedSince = now;
      this.sink.once('drain', () => this.#idle());
    } else if (this.sink.writableLength > 0) {
      this.#busy = 'callback';
      this.#blockedSince = now;
    }
    return { waited, shared };
  }

  #idle(): void {
    this.#busy = null;
    this.#blockedSince = null;
    if (this.state === 'live' && this.#pending.length > 0) this.ready(this);
  }

  /** True when a write has not finished (or the socket not drained) for the whole drain timeout. */
  stalled(now: number): boolean {
    return this.#blockedSince !== null && now - this.#blockedSince >= this.limits.drain_timeout_ms;
  }

  /**
   * Write during catch-up, waiting for a full socket to drain: 'ok', 'closed' (the client went
   * away) or 'stalled' (no drain within the drain timeout).
   */
  writeNow(bytes: Buffer): Promise<'ok' | 'closed' | 'stalled'> {
    if (this.state === 'closed') return Promise.resolve('closed');
    if (this.sink.write(bytes)) return Promise.resolve('ok');
    return new Promise((resolve) => {
      const settle = (outcome: 'ok' | 'closed' | 'stalled') => {
        clearTimeout(timer);
        this.sink.off('drain', onDrain);
        this.sink.off('close', onClose);
        resolve(outcome);
      };
      const onDrain = () => settle(this.state === 'closed' ? 'closed' : 'ok');
      const onClose = () => settle('closed');
      const timer = setTimeout(() => settle('stalled'), this.limits.drain_timeout_ms);
      this.sink.once('drain', onDrain);
      this.sink.once('close', onClose);
    });
  }

  /** Forget everything queued (the stream is gone). */
  close(): void {
    this.state = 'closed';
    this.#pending = [];
    this.#backlog = [];
    this.#pendingBytes = 0;
    this.#backlogBytes = 0;
  }
}
