/**
 * The SSE hub: one store subscription, many streams (each an `SseStream`).
 *
 * Invariants:
 * - Each event is serialized once (one Buffer shared by every stream), and the events of one
 *   event-loop turn are joined once (one Buffer, sse-batch.ts) that every stream which takes all
 *   of them and has nothing else pending writes as it is. Live streams take a turn's events once,
 *   at the end of the turn (no work per event per stream); only streams still catching up get
 *   each event as it comes (their backlog).
 * - A stream starts with `hello {seq, log_id}`, then the records after its resume point (from the
 *   store: memory or disk), then one `presence` event per non-empty gallery, then live events. The
 *   stream is registered (buffering live events) *before* the head is read, and records already
 *   sent are dropped from that buffer, so there is no gap, no duplicate and no reordering.
 * - Live events are written at once: events of one event-loop turn go out together (one write of
 *   one Buffer per stream), and a stream whose last write is still in flight (socket buffer not
 *   empty) gets the events that arrive meanwhile in one write when it finishes. The streams are
 *   served `fanout_slice` at a time per event-loop turn, with the I/O in between; events that
 *   arrive meanwhile join the pass for the streams it has not reached (sse-fanout.ts). No timer:
 *   an idle stream never waits, a busy one batches more the busier it is.
 * - A stream that falls behind (unsent bytes past `max_unsent_bytes`, or no drain for
 *   `drain_timeout_ms`) is disconnected, never silently skipped: it resumes from its last id.
 */
import {
  type BroadcastEventName,
  type DeepReadonly,
  type FrameDurability,
  isMetricsOnly,
  type LiveEvent,
  type ResyncReason,
  toItemUpdate,
} from '@lenslet/core';
import type { CommittedRecord, LabelStore } from '@lenslet/store';
import { LagHistogram } from './lag-histogram.ts';
import { liveFrame } from './live-frame.ts';
import type { PresenceCounts } from './presence.ts';
import type { TurnBatch } from './sse-batch.ts';
import { FanOut } from './sse-fanout.ts';
import { formatComment } from './sse-format.ts';
import { decideResume, MAX_REPLAY_RECORDS, type ResumeRequest } from './sse-resume.ts';
import {
  type Frame,
  type Overflow,
  type SseSink,
  SseStream,
  type StreamLimits,
} from './sse-stream.ts';
import { SyncReporter } from './sync-state.ts';

export type { SseSink } from './sse-stream.ts';

export type SseHubOptions = StreamLimits & {
  readonly keepalive_ms: number;
  readonly max_replay_records: number;
  /** Reconnection delay suggested to browsers (`retry:`), ms. */
  readonly retry_ms: number;
  /** Live streams written per event-loop turn before the loop runs its I/O (sse-fanout.ts). */
  readonly fanout_slice: number;
};

export const DEFAULT_SSE_HUB_OPTIONS = {
  max_unsent_bytes: 1024 * 1024,
  drain_timeout_ms: 10_000,
  keepalive_ms: 15_000,
  max_replay_records: MAX_REPLAY_RECORDS,
  // Live events buffered while a stream replays; past this it is disconnected and resumes.
  max_backlog_bytes: 8 * 1024 * 1024,
  retry_ms: 1_000,
  fanout_slice: 64,
} satisfies SseHubOptions;

/** Replay frames are written in chunks of about this size. */
const REPLAY_CHUNK_BYTES = 64 * 1024;

const KEEPALIVE: Frame = {
  seq: null,
  event: 'keepalive',
  bytes: Buffer.from(formatComment('keepalive')),
};

/** The SSE frame of a durable record: `item-updated`, or `metrics-updated` when only metrics changed. */
export function recordFrame(committed: CommittedRecord, durability: FrameDurability): string {
  const { record, labels } = committed;
  const event = isMetricsOnly(record.changes) ? 'metrics-updated' : 'item-updated';
  return liveFrame(event, toItemUpdate(record, labels, durability), { id: record.seq });
}

export type StreamOutcome = 'live' | 'resync' | 'closed';

type Disconnect = Overflow | 'stalled';

export class SseHub {
  readonly #store: LabelStore;
  readonly #options: SseHubOptions;
  readonly #presence: () => readonly PresenceCounts[];
  readonly #sync: SyncReporter;
  readonly #streams = new Set<SseStream>();
  readonly #unsubscribe: () => void;
  readonly #watchdog: ReturnType<typeof setInterval>;
  readonly #keepalive: ReturnType<typeof setInterval>;
  /** Streams still catching up: each event goes to their backlog as it comes. */
  readonly #catchingUp = new Set<SseStream>();
  /** The live frames of each turn, handed to every live stream (sse-fanout.ts). */
  readonly #fanout: FanOut;
  readonly #onReady = (stream: SseStream) => this.#fanout.ready(stream);
  readonly #lag = new LagHistogram();
  #closed = false;
  readonly #stats = {
    connections_total: 0,
    replayed_records_total: 0,
    frames_total: 0,
    writes_total: 0,
    /** Writes of a turn's shared Buffer (the rest wrote their own bytes). */
    shared_writes_total: 0,
    disconnected: { slow: 0, stalled: 0, backlog: 0 } satisfies Record<Disconnect, number>,
    resync: { log_replaced: 0, ahead_of_head: 0, history_unavailable: 0, too_far_behind: 0 },
  };

  constructor(
    store: LabelStore,
    presence: () => readonly PresenceCounts[],
    options: Partial<SseHubOptions> = {},
    sync: SyncReporter = new SyncReporter(store),
  ) {
    this.#store = store;
    this.#presence = presence;
    this.#sync = sync;
    this.#options = { ...DEFAULT_SSE_HUB_OPTIONS, ...options };
    this.#fanout = new FanOut(this.#options.fanout_slice, {
      streams: () => this.#streams,
      write: (stream, now, shared) => this.#write(stream, now, shared),
      disconnect: (stream, overflow) => this.#disconnect(stream, overflow),
    });
    this.#unsubscribe = store.subscribe((batch) => this.#onRecords(batch));
    const watch = Math.min(1_000, this.#options.drain_timeout_ms);
    this.#watchdog = setInterval(() => this.#checkStalled(), watch);
    this.#watchdog.unref?.();
    this.#keepalive = setInterval(() => this.#sendKeepalive(), this.#options.keepalive_ms);
    this.#keepalive.unref?.();
  }

  /** Send an id-less event to every stream. */
  broadcast<E extends BroadcastEventName>(event: E, data: DeepReadonly<LiveEvent<E>>): void {
    if (this.#closed) return;
    this.#deliver({ seq: null, event, bytes: Buffer.from(liveFrame(event, data)) });
  }

  /**
   * Serve one stream: hello, replay or resync, presence, then live. Resolves once the stream is
   * live (or over); the caller has already sent the response headers.
   */
  async open(sink: SseSink, resume: ResumeRequest): Promise<StreamOutcome> {
    if (this.#closed) {
      sink.end();
      return 'closed';
    }
    const stream = new SseStream(sink, this.#options, this.#onReady);
    // Registered first: from here on every durable batch is buffered for this stream.
    this.#streams.add(stream);
    this.#catchingUp.add(stream);
    this.#stats.connections_total += 1;
    sink.on('close', () => this.#drop(stream));
    const head = this.#store.head();
    const log_id = this.#store.log_id;
    const { oldest_seq, origin = 0 } = this.#store.status();
    const decision = decideResume(
      resume,
      { log_id, head, oldest_seq, origin },
      this.#options.max_replay_records,
    );
    const hello = liveFrame('hello', { seq: head, log_id }, { retry: this.#options.retry_ms });
    if (decision.kind === 'resync') return this.#resync(stream, hello, decision.reason, head);
    if (!(await this.#writeNow(stream, hello))) return 'closed';
    stream.sent_seq = decision.kind === 'replay' ? decision.after : head;
    // Replay up to the head, then again while records became durable during the replay.
    for (let target = head; stream.sent_seq < target; target = this.#store.head()) {
      const reached = await this.#replay(stream, target);
      if (reached === 'closed') return 'closed';
      if (reached === 'gap') {
        return this.#resync(stream, '', 'history_unavailable', this.#store.head());
      }
    }
    if (stream.state === 'closed') return 'closed';
    stream.goLive(this.#greeting(), performance.now(), this.#fanout.closedThrough);
    this.#catchingUp.delete(stream);
    // This turn's frames so far reached it through the backlog.
    this.#fanout.wentLive(stream);
    return 'live';
  }

  stats(): { readonly clients: number; readonly [key: string]: unknown } {
    let catching_up = 0;
    for (const s of this.#streams) if (s.state === 'catching_up') catching_up += 1;
    return {
      clients: this.#streams.size,
      catching_up,
      ...this.#stats,
      // From an event reaching the hub to its write on a stream (waiting for a busy socket included).
      delivery_lag_ms: this.#lag.summary(),
    };
  }

  /** End every stream (what is pending is written first) and stop the timers. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    clearInterval(this.#watchdog);
    clearInterval(this.#keepalive);
    this.#fanout.close(performance.now());
    for (const stream of [...this.#streams]) {
      stream.close();
      stream.sink.end();
    }
    this.#streams.clear();
  }

  /** What a caught-up stream receives before live events: presence, and a persistence warning. */
  #greeting(): Buffer[] {
    const first = this.#presence().map((counts) => Buffer.from(liveFrame('presence', counts)));
    const status = this.#store.status();
    if (status.state !== 'saved') {
      first.push(Buffer.from(liveFrame('persistence', this.#sync.frame(status))));
    }
    return first;
  }

  async #resync(
    stream: SseStream,
    hello: string,
    reason: ResyncReason,
    seq: number,
  ): Promise<StreamOutcome> {
    this.#stats.resync[reason] += 1;
    await this.#writeNow(stream, hello + liveFrame('resync-required', { reason, seq }));
    this.#drop(stream);
    stream.sink.end();
    return 'resync';
  }

  /** Write records (sent_seq, target] from the store; 'gap' if the store cannot produce them all. */
  async #replay(stream: SseStream, target: number): Promise<'ok' | 'gap' | 'closed'> {
    let chunk: string[] = [];
    let size = 0;
    try {
      for await (const committed of this.#store.replay(stream.sent_seq, target)) {
        if (stream.state === 'closed') return 'closed';
        if (committed.record.seq !== stream.sent_seq + 1) return 'gap';
        const text = recordFrame(committed, this.#durability());
        chunk.push(text);
        size += text.length;
        stream.sent_seq = committed.record.seq;
        this.#stats.replayed_records_total += 1;
        if (size >= REPLAY_CHUNK_BYTES) {
          if (!(await this.#writeNow(stream, chunk.join('')))) return 'closed';
          chunk = [];
          size = 0;
        }
      }
    } catch {
      return 'gap';
    }
    if (chunk.length > 0 && !(await this.#writeNow(stream, chunk.join('')))) return 'closed';
    return stream.sent_seq === target ? 'ok' : 'gap';
  }

  async #writeNow(stream: SseStream, text: string): Promise<boolean> {
    const outcome = await stream.writeNow(Buffer.from(text));
    if (outcome === 'stalled') this.#disconnect(stream, 'stalled');
    return outcome === 'ok';
  }

  #onRecords(batch: readonly CommittedRecord[]): void {
    // Nobody listening: nothing to serialize (a stream that opens later replays from the store).
    if (this.#streams.size === 0) return;
    const durability = this.#durability();
    for (const committed of batch) {
      const bytes = Buffer.from(recordFrame(committed, durability));
      this.#deliver({ seq: committed.record.seq, event: 'record', bytes });
    }
  }

  #durability(): FrameDurability {
    return { boot_epoch: this.#sync.boot_epoch, persistence: this.#sync.persistence() };
  }

  #deliver(frame: Frame): void {
    this.#stats.frames_total += 1;
    for (const stream of this.#catchingUp) {
      const overflow = stream.hold(frame);
      if (overflow !== null) this.#disconnect(stream, overflow);
    }
    this.#fanout.add(frame, performance.now());
  }

  #write(stream: SseStream, now: number, turn: TurnBatch | undefined): void {
    if (!stream.writable) return;
    this.#stats.writes_total += 1;
    const waited = stream.flush(now, turn);
    if (stream.wrote_shared) this.#stats.shared_writes_total += 1;
    this.#lag.add(waited);
  }

  #checkStalled(): void {
    const now = performance.now();
    for (const stream of this.#streams) {
      if (stream.stalled(now)) this.#disconnect(stream, 'stalled');
    }
  }

  /** A keepalive for the live streams (they take it with the turn; a replay needs none). */
  #sendKeepalive(): void {
    if (!this.#closed) this.#fanout.add(KEEPALIVE, performance.now());
  }

  #disconnect(stream: SseStream, reason: Disconnect): void {
    if (stream.state === 'closed') return;
    this.#stats.disconnected[reason] += 1;
    this.#drop(stream);
    stream.sink.destroy();
  }

  #drop(stream: SseStream): void {
    stream.close();
    this.#streams.delete(stream);
    this.#catchingUp.delete(stream);
    this.#fanout.forget(stream);
  }
}
