/**
 * The live frames of one event-loop turn, as the hub delivered them to every live stream, and
 * their bytes joined into ONE Buffer at most once per turn. A stream whose pending frames are
 * exactly this turn's (the usual case: it was idle and had every event) writes that shared
 * Buffer, so N streams cost one concatenation and N single-buffer writes instead of N
 * concatenations (or N × frames writes). Any other stream (frames carried over behind a write in
 * flight, a record it already had from its replay, a greeting) writes its own bytes.
 */
export class TurnBatch {
  readonly #frames: Buffer[] = [];
  #bytes: Buffer | null = null;

  get size(): number {
    return this.#frames.length;
  }

  /** One more frame, after the ones already added (delivery order). */
  add(frame: Buffer): void {
    this.#frames.push(frame);
    this.#bytes = null;
  }

  /** True when `pending` holds exactly this turn's frames, in order (the same Buffer objects). */
  matches(pending: readonly Buffer[]): boolean {
    const frames = this.#frames;
    if (pending.length !== frames.length || frames.length === 0) return false;
    for (let i = 0; i < frames.length; i++) if (pending[i] !== frames[i]) return false;
    return true;
  }

  /** The turn's frames as one Buffer, joined on first use and then reused. */
  bytes(): Buffer {
    if (this.#bytes === null) {
      this.#bytes = this.#frames.length === 1 ? this.#frames[0]! : Buffer.concat(this.#frames);
    }
    return this.#bytes;
  }
}
