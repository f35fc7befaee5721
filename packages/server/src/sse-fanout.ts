/**
 * The hub's fan-out (sse-hub.ts): the live frames of each event-loop turn, handed to every live
 * stream in passes of `slice` streams per event-loop turn (more when a pass would take more than
 * `MAX_SLICES` turns).
 *
 * - A turn's frames (a TurnBatch) close at the end of the turn they were delivered in
 *   (process.nextTick), and a pass hands them to the live streams in order, `slice` at a time.
 *   Between two slices the event loop runs its I/O (setImmediate): the fdatasync that completes
 *   meanwhile answers its writers and starts the next group, and new requests are read, instead of
 *   waiting behind socket writes to hundreds of streams.
 * - Frames delivered while a pass runs close at its next slice, and the streams the pass has not
 *   reached yet take them together with the pass's own (one write for both), so batching grows with
 *   load; the streams it already passed take them in the next pass, which starts as soon as this
 *   one ends. At rest (at most `slice` streams, or nothing new arriving) a pass is one slice in the
 *   same turn, as before.
 * - A pass yields to the I/O at most `MAX_SLICES - 1` times: each yield lets every request that
 *   arrived meanwhile in first, so with many streams and writers in a closed loop (every answer
 *   brings the next request at once) more yields starve the fan-out (measured at 500 streams).
 * - Each turn has an id; a stream remembers the last one it took and never takes one twice, and
 *   a stream that goes live takes no turn closed before that (it received those frames through its
 *   backlog), and the frames of the open turn only from its `joined` index on.
 */
import { TurnBatch } from './sse-batch.ts';
import type { Frame, Overflow, SseStream } from './sse-stream.ts';

export type FanOutHooks = {
  /** Every stream of the hub (only live ones take turns). */
  readonly streams: () => Iterable<SseStream>;
  /** Write what `stream` has pending when it may write now; `shared`: the one turn it took. */
  readonly write: (stream: SseStream, now: number, shared: TurnBatch | undefined) => void;
  readonly disconnect: (stream: SseStream, overflow: Overflow) => void;
};

/** A closed turn waiting for streams to take it; `joined`: streams that went live during it. */
type Closed = { readonly turn: TurnBatch; readonly joined: ReadonlyMap<SseStream, number> };

const NOBODY: ReadonlyMap<SseStream, number> = new Map();

/** The most event-loop turns one pass takes (its slices grow past `slice` to keep to it). */
export const MAX_SLICES = 4;

export class FanOut {
  readonly #slice: number;
  readonly #hooks: FanOutHooks;
  #turn = new TurnBatch(1);
  #joined = new Map<SseStream, number>();
  /** Closed turns some stream may still have to take, oldest first. */
  #pending: Closed[] = [];
  /** The pass under way: its streams, the next to serve, and the newest turn it started with. */
  #pass: {
    readonly streams: SseStream[];
    readonly size: number;
    next: number;
    readonly upTo: number;
  } | null = null;
  /** Streams that went live while a pass ran (not in its list). */
  readonly #late = new Set<SseStream>();
  /** Streams whose write finished with frames waiting. */
  #ready = new Set<SseStream>();
  /** The last batch of several pending turns, joined for the streams that take them all. */
  #merged: { readonly from: TurnBatch; readonly batch: TurnBatch } | null = null;
  #queued = false;
  #closed = false;
  readonly #run = () => this.#flush();
  readonly #continue = () => this.#step();

  constructor(slice: number, hooks: FanOutHooks) {
    this.#slice = Math.max(1, slice);
    this.#hooks = hooks;
  }

  /** The id of the newest closed turn (a stream going live takes none up to it). */
  get closedThrough(): number {
    return this.#turn.id - 1;
  }

  /** One more live frame, delivered at `now`: it goes out with this turn's others. */
  add(frame: Frame, now: number): void {
    this.#turn.add(frame, now);
    this.#schedule();
  }

  /** `stream` just went live: it takes the open turn from here on. */
  wentLive(stream: SseStream): void {
    if (this.#turn.size > 0) this.#joined.set(stream, this.#turn.size);
    if (this.#pass !== null) this.#late.add(stream);
    this.ready(stream);
  }

  /** `stream` can write what waits for it. */
  ready(stream: SseStream): void {
    this.#ready.add(stream);
    this.#schedule();
  }

  forget(stream: SseStream): void {
    this.#ready.delete(stream);
    this.#late.delete(stream);
    this.#joined.delete(stream);
  }

  /** Stop: every live stream takes all it has not taken yet and writes it if it can. */
  close(now: number): void {
    this.#closed = true;
    this.#closeTurn();
    for (const stream of this.#hooks.streams()) this.#take(stream, now);
    this.#pending = [];
    this.#merged = null;
    this.#pass = null;
    this.#ready.clear();
    this.#late.clear();
  }

  /**
   * At the end of the turn: after the code that delivered the frames and the promise callbacks
   * it woke (the answers of the writes just made durable), before any I/O callback.
   */
  #schedule(): void {
    if (this.#queued || this.#closed) return;
    this.#queued = true;
    process.nextTick(this.#run);
  }

  #flush(): void {
    this.#queued = false;
    // A pass under way takes the new frames at its next slice.
    if (this.#closed || this.#pass !== null) return;
    this.#startPass(performance.now());
  }

  #startPass(now: number): void {
    this.#closeTurn();
    if (this.#pending.length === 0) {
      this.#writeReady(now);
      return;
    }
    const streams: SseStream[] = [];
    for (const stream of this.#hooks.streams()) if (stream.state === 'live') streams.push(stream);
    const size = Math.max(this.#slice, Math.ceil(streams.length / MAX_SLICES));
    this.#pass = { streams, size, next: 0, upTo: this.#pending.at(-1)!.turn.id };
    this.#step();
  }

  /** One slice of the pass; the next after the event loop's I/O, or the end of the pass. */
  #step(): void {
    const pass = this.#pass;
    if (pass === null || this.#closed) return;
    // Frames delivered since the last slice: the streams still to come take them now too.
    this.#closeTurn();
    const now = performance.now();
    const end = Math.min(pass.streams.length, pass.next + pass.size);
    for (let i = pass.next; i < end; i++) this.#take(pass.streams[i]!, now);
    pass.next = end;
    this.#writeReady(now);
    if (end < pass.streams.length) {
      setImmediate(this.#continue);
      return;
    }
    this.#pass = null;
    for (const stream of this.#late) this.#take(stream, now);
    this.#late.clear();
    // Every stream has the turns the pass started with; the ones closed during it go to the
    // streams it had passed already, in a pass of their own right away.
    this.#pending = this.#pending.filter((closed) => closed.turn.id > pass.upTo);
    this.#merged = null;
    if (this.#pending.length > 0 || this.#turn.size > 0) this.#startPass(now);
  }

  /**
   * `stream` takes every pending turn it has not taken yet, then writes if it is idle. Two or
   * more turns taken whole are taken as one batch joined once for every stream that takes them.
   */
  #take(stream: SseStream, now: number): void {
    if (stream.state !== 'live') return;
    const pending = this.#pending;
    let first = 0;
    while (first < pending.length && pending[first]!.turn.id <= stream.turnTaken) first += 1;
    let shared: TurnBatch | undefined;
    let overflow: Overflow | null = null;
    if (pending.length - first >= 2 && !this.#joinedIn(stream, first)) {
      shared = this.#joinedFrom(first);
      overflow = stream.takeTurn(shared, 0);
    } else {
      for (let i = first; i < pending.length && overflow === null; i++) {
        const { turn, joined } = pending[i]!;
        overflow = stream.takeTurn(turn, joined.size > 0 ? (joined.get(stream) ?? 0) : 0);
      }
      if (pending.length - first === 1) shared = pending[first]!.turn;
    }
    if (overflow !== null) this.#hooks.disconnect(stream, overflow);
    else this.#hooks.write(stream, now, shared);
  }

  /** `stream` went live during one of the pending turns from `first` on. */
  #joinedIn(stream: SseStream, first: number): boolean {
    for (let i = first; i < this.#pending.length; i++) {
      if (this.#pending[i]!.joined.has(stream)) return true;
    }
    return false;
  }

  /** The pending turns from `first` on as one batch (its id the newest's), made once. */
  #joinedFrom(first: number): TurnBatch {
    const turns = this.#pending.slice(first).map((closed) => closed.turn);
    const cached = this.#merged;
    if (cached !== null && cached.from === turns[0] && cached.batch.id === turns.at(-1)!.id) {
      return cached.batch;
    }
    const batch = new TurnBatch(turns.at(-1)!.id);
    for (const turn of turns)
      for (let i = 0; i < turn.size; i++) batch.add(turn.frame(i), turn.since);
    this.#merged = { from: turns[0]!, batch };
    return batch;
  }

  #writeReady(now: number): void {
    if (this.#ready.size === 0) return;
    const ready = this.#ready;
    this.#ready = new Set();
    for (const stream of ready) this.#hooks.write(stream, now, undefined);
  }

  #closeTurn(): void {
    if (this.#turn.size === 0) return;
    this.#pending.push({ turn: this.#turn, joined: this.#joined.size > 0 ? this.#joined : NOBODY });
    this.#turn = new TurnBatch(this.#turn.id + 1);
    if (this.#joined.size > 0) this.#joined = new Map();
  }
}
