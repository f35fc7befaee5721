/**
 * The live frames of one event-loop turn, in delivery order, and their bytes joined into ONE
 * Buffer at most once per turn. The hub hands a turn to every live stream once, at the end of the
 * turn (not each frame to each stream as it comes): a stream that had nothing else pending and
 * takes the whole turn queues that one shared Buffer, so N streams cost one concatenation, N
 * single-buffer writes and no per-frame work per stream. A stream that went live during the turn
 * takes only the frames from that point on (the earlier ones reached it through its backlog).
 */

/** One serialized event; `seq` is set for label records only. */
export type Frame = { readonly seq: number | null; readonly event: string; readonly bytes: Buffer };

export class TurnBatch {
  /** Turns are numbered in the order they close (sse-fanout.ts); a stream takes each once. */
  readonly id: number;
  readonly #frames: Frame[] = [];
  #bytes: Buffer | null = null;
  /** The first record's seq in this turn (records come in seq order), or null. */
  #firstSeq: number | null = null;
  #lastSeq: number | null = null;
  /** When the first frame was added (ms, `performance.now()`). */
  #since = 0;

  constructor(id = 1) {
    this.id = id;
  }

  get size(): number {
    return this.#frames.length;
  }

  get since(): number {
    return this.#since;
  }

  get firstSeq(): number | null {
    return this.#firstSeq;
  }

  get lastSeq(): number | null {
    return this.#lastSeq;
  }

  /** One more frame, after the ones already added (delivery order), delivered at `now`. */
  add(frame: Frame, now: number): void {
    if (this.#frames.length === 0) this.#since = now;
    this.#frames.push(frame);
    this.#bytes = null;
    if (frame.seq !== null) {
      this.#firstSeq ??= frame.seq;
      this.#lastSeq = frame.seq;
    }
  }

  /** The frame at `index` (0 ≤ index < size). */
  frame(index: number): Frame {
    return this.#frames[index]!;
  }

  /** The turn's frames as one Buffer, joined on first use and then reused. */
  bytes(): Buffer {
    if (this.#bytes === null) {
      const frames = this.#frames;
      this.#bytes =
        frames.length === 1 ? frames[0]!.bytes : Buffer.concat(frames.map((f) => f.bytes));
    }
    return this.#bytes;
  }
}
