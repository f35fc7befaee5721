/**
 * A latency histogram for stats: 0.1 ms buckets up to 100 ms, one bucket beyond (plus the max).
 * Constant memory, exact enough for p50/p99 of the live stream's delivery lag.
 */
/** Samples since creation; percentiles are nearest-rank, rounded up to the bucket edge. */
export class LagHistogram {
  readonly #buckets = new Uint32Array(1_001);
  #count = 0;
  #max = 0;
  add(ms: number): void {
    this.#buckets[Math.min(1_000, Math.floor(ms * 10))]! += 1;
    this.#count += 1;
    if (ms > this.#max) this.#max = ms;
  }
  summary(): { p50: number; p99: number; max: number; samples: number } {
    const at = (q: number) => {
      let seen = 0;
      for (let i = 0; i < this.#buckets.length; i++) {
        seen += this.#buckets[i]!;
        if (seen >= Math.max(1, Math.ceil(q * this.#count)))
          return i >= 1_000 ? this.#max : (i + 1) / 10;
      }
      return 0;
    };
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      p50: round(at(0.5)),
      p99: round(at(0.99)),
      max: round(this.#max),
      samples: this.#count,
    };
  }
}
