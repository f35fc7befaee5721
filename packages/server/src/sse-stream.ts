/**
 * One client's live stream: what it has been sent, what waits to be written, and whether its
 * socket keeps up. While the stream catches up (hello + replay), live frames wait in a backlog,
 * one by one (`hold`); once live, it takes each turn's frames at the end of the turn
 * (`takeTurn`: usually the turn's one shared Buffer, sse-batch.ts), which wait in `pending`
 * until the hub's flush writes them in one write.
 *
 * A stream has at most one write in flight. A write the kernel takes at once leaves the stream
 * idle, so the next event goes out in the same event-loop turn; a write that stays buffered
 * (`writableLength > 0`) makes the stream busy until its callback (or `drain` for a full socket),
 * and the turns that end meanwhile wait in `pending` and go out together in the next write.
 * Batching therefore grows with load and adds no wait at rest.
 *
 * A stream never skips a frame: when it cannot keep up (`max_unsent_bytes` unsent, a backlog past
 * `max_backlog_bytes`, or a write not done within `drain_timeout_ms`) the caller disconnects it
 * and the client resumes from its last id.
 */

import type { Frame, TurnBatch } from './sse-batch.ts';

export type { Frame } from './sse-batch.ts';

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
  /** The id of the last turn this stream took (sse-fanout.ts: never one twice). */
  turnTaken = 0;
  /** The last `flush` wrote the turn's shared Buffer. */
  wrote_shared = false;
  /** What waits to be written: usually one Buffer (a turn's), a list only for two or more. */
  #single: Buffer | null = null;
  #pending: Buffer[] | null = null;
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
    return this.#single !== null || this.#pending !== null;
  }

  /** Ready for the next write (live, something pending, no write in flight). */
  get writable(): boolean {
    return this.state === 'live' && this.#busy === null && this.hasPending;
  }

  /** A frame while the stream catches up (into its backlog); returns 'backlog' when too much waits. */
  hold(frame: Frame): Overflow | null {
    if (this.state !== 'catching_up') return null;
    this.#backlog.push(frame);
    this.#backlogBytes += frame.bytes.length;
    return this.#backlogBytes > this.limits.max_backlog_bytes ? 'backlog' : null;
  }

  /**
   * A live stream takes the frames of the turn that just ended, from index `from` on (the earlier
   * ones reached it through its backlog): the turn's shared Buffer when it takes them all, else
   * frame by frame, skipping records it already has. Returns 'slow' when its unsent bytes pass
   * `max_unsent_bytes` (then it must be disconnected).
   */
  takeTurn(turn: TurnBatch, from: number): Overflow | null {
    if (this.state !== 'live' || turn.id <= this.turnTaken) return null;
    this.turnTaken = turn.id;
    if (from >= turn.size) return null;
    const first = turn.firstSeq;
    if (from === 0 && (first === null || first > this.sent_seq)) {
      this.#queue(turn.bytes(), turn.since);
      if (turn.lastSeq !== null) this.sent_seq = turn.lastSeq;
    } else {
      for (let i = from; i < turn.size; i++) {
        const frame = turn.frame(i);
        if (frame.seq !== null) {
          if (frame.seq <= this.sent_seq) continue;
          this.sent_seq = frame.seq;
        }
        this.#queue(frame.bytes, turn.since);
      }
    }
    const unsent = this.#pendingBytes + this.sink.writableLength;
    return unsent > this.limits.max_unsent_bytes ? 'slow' : null;
  }

  /**
   * Caught up: queue `first` (presence, persistence), then the backlog minus records already
   * replayed and minus presence events (`first` is newer), and go live. Synchronous, so no
   * durable batch can slip between the replay and the live frames. Turns up to `closedThrough`
   * are never taken: their frames were delivered while it caught up, so they are in the backlog.
   */
  goLive(first: readonly Buffer[], now: number, closedThrough = 0): void {
    this.turnTaken = closedThrough;
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

  /** Queue `bytes`, delivered to the hub at `since` (ms). */
  #queue(bytes: Buffer, since: number): void {
    if (this.#pending !== null) this.#pending.push(bytes);
    else if (this.#single !== null) {
      this.#pending = [this.#single, bytes];
      this.#single = null;
    } else {
      this.#single = bytes;
      this.#pendingSince = since;
    }
    this.#pendingBytes += bytes.length;
  }

  /**
   * Write everything pending in ONE write (one Buffer, one HTTP chunk): the turn's shared Buffer
   * when that is all that is pending (`wrote_shared`), else their concatenation. Returns how long
   * the oldest of those frames waited (ms).
   */
  flush(now: number, turn?: TurnBatch): number {
    const single = this.#single;
    const chunks = this.#pending;
    const size = this.#pendingBytes;
    const waited = this.#pendingSince === null ? 0 : now - this.#pendingSince;
    this.#single = null;
    this.#pending = null;
    this.#pendingBytes = 0;
    this.#pendingSince = null;
    const bytes = single ?? Buffer.concat(chunks ?? [], size);
    this.wrote_shared = turn !== undefined && turn.size > 0 && bytes === turn.bytes();
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
    return waited;
  }

  #idle(): void {
    this.#busy = null;
    this.#blockedSince = null;
    if (this.state === 'live' && this.hasPending) this.ready(this);
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
    this.#single = null;
    this.#pending = null;
    this.#backlog = [];
    this.#pendingBytes = 0;
    this.#backlogBytes = 0;
  }
}
