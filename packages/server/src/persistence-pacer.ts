/**
 * When a `persistence` frame goes out while writes go on (live.ts): at most once per `interval`,
 * and where possible in the same event-loop turn as a durable batch, so the frame is joined to
 * the records' Buffer and costs no write to every stream of its own (at 500 streams a frame
 * alone is 500 socket writes).
 *
 * - A batch at least `interval` after the last frame sends one at once, with the batch.
 * - A batch sooner than that leaves a frame owed. The next batch at least `interval` after the
 *   last frame carries it; if none comes, a timer sends it `interval × 1.5` after the last frame
 *   (the half interval of slack lets a steady stream of batches carry it).
 * So the frame's watermark reaches the last write at most `interval × 1.5` after the frame before.
 */
export type PacerClock = {
  readonly now: () => number;
  readonly setTimer: (run: () => void, ms: number) => () => void;
};

const SYSTEM_CLOCK: PacerClock = {
  now: () => performance.now(),
  setTimer: (run, ms) => {
    const timer = setTimeout(run, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

export class PersistencePacer {
  readonly #interval: number;
  readonly #send: () => void;
  readonly #clock: PacerClock;
  #lastSent = Number.NEGATIVE_INFINITY;
  #owed = false;
  #cancelTimer: (() => void) | null = null;

  constructor(interval: number, send: () => void, clock: PacerClock = SYSTEM_CLOCK) {
    this.#interval = interval;
    this.#send = send;
    this.#clock = clock;
  }

  /** A durable batch was just delivered (call in the same turn, after the records). */
  onBatch(): void {
    const now = this.#clock.now();
    if (now - this.#lastSent >= this.#interval) this.#sendNow(now);
    else {
      this.#owed = true;
      this.#arm(now);
    }
  }

  /** Stop the timer (the server closes). */
  close(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    this.#owed = false;
  }

  #sendNow(now: number): void {
    this.#lastSent = now;
    this.#owed = false;
    this.#send();
  }

  #arm(now: number): void {
    if (this.#cancelTimer !== null) return;
    const due = this.#lastSent + this.#interval * 1.5;
    this.#cancelTimer = this.#clock.setTimer(() => this.#fire(), Math.max(0, due - now));
  }

  #fire(): void {
    this.#cancelTimer = null;
    if (!this.#owed) return;
    const now = this.#clock.now();
    // A batch carried a frame since the timer was set: wait for the slack after that one.
    if (now - this.#lastSent >= this.#interval) this.#sendNow(now);
    else this.#arm(now);
  }
}
