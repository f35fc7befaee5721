/**
 * The remembered records of the idempotency table in seq order (for pruning): a growable ring of
 * (4 hash lanes, seq, time) rows in typed arrays.
 */

/** A `Fifo` as plain data (its arrays cross a worker boundary by transfer). */
export type FifoState = {
  readonly lanes: Int32Array<ArrayBuffer>;
  readonly seqs: Float64Array<ArrayBuffer>;
  readonly times: Float64Array<ArrayBuffer>;
  readonly head: number;
  readonly length: number;
};

/** A growable FIFO of (4 hash lanes, seq, time) rows in typed arrays. */
export class Fifo {
  #lanes = new Int32Array(4 * 1024);
  #seqs = new Float64Array(1024);
  #times = new Float64Array(1024);
  #head = 0;
  length = 0;

  /** The rows as plain data (the arrays themselves, not copies). */
  exportState(): FifoState {
    return {
      lanes: this.#lanes,
      seqs: this.#seqs,
      times: this.#times,
      head: this.#head,
      length: this.length,
    };
  }

  /** Take over the arrays of an exported FIFO. */
  static fromState(state: FifoState): Fifo {
    const fifo = new Fifo();
    fifo.#lanes = state.lanes;
    fifo.#seqs = state.seqs;
    fifo.#times = state.times;
    fifo.#head = state.head;
    fifo.length = state.length;
    return fifo;
  }

  #slot(i: number): number {
    return (this.#head + i) % this.#seqs.length;
  }

  /** Grow once so that `count` more rows fit. */
  reserve(count: number): void {
    let size = this.#seqs.length;
    while (size < this.length + count) size *= 2;
    if (size > this.#seqs.length) this.#grow(size);
  }

  push(a: number, b: number, c: number, d: number, seq: number, atMs: number): void {
    if (this.length === this.#seqs.length) this.#grow(this.#seqs.length * 2);
    const s = this.#slot(this.length);
    const lanes = this.#lanes;
    lanes[s * 4] = a;
    lanes[s * 4 + 1] = b;
    lanes[s * 4 + 2] = c;
    lanes[s * 4 + 3] = d;
    this.#seqs[s] = seq;
    this.#times[s] = atMs;
    this.length += 1;
  }

  get(i: number, lane: number): number {
    return this.#lanes[this.#slot(i) * 4 + lane]!;
  }
  seq(i: number): number {
    return this.#seqs[this.#slot(i)]!;
  }
  atMs(i: number): number {
    return this.#times[this.#slot(i)]!;
  }

  shift(): void {
    this.#head = (this.#head + 1) % this.#seqs.length;
    this.length -= 1;
  }

  #grow(size: number): void {
    const lanes = new Int32Array(size * 4);
    const seqs = new Float64Array(size);
    const times = new Float64Array(size);
    // The rows are one run from #head to the end of the arrays, then one from 0 (two copies each).
    const first = Math.min(this.length, this.#seqs.length - this.#head);
    const rest = this.length - first;
    lanes.set(this.#lanes.subarray(this.#head * 4, (this.#head + first) * 4), 0);
    lanes.set(this.#lanes.subarray(0, rest * 4), first * 4);
    seqs.set(this.#seqs.subarray(this.#head, this.#head + first), 0);
    seqs.set(this.#seqs.subarray(0, rest), first);
    times.set(this.#times.subarray(this.#head, this.#head + first), 0);
    times.set(this.#times.subarray(0, rest), first);
    this.#lanes = lanes;
    this.#seqs = seqs;
    this.#times = times;
    this.#head = 0;
  }
}
