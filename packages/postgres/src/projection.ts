/**
 * This process's view of the shared log: labels of every image, the head seq, the newest records
 * (for replay without a query) and the subscribers. Records arrive from three places — this
 * process's own commits, catch-up reads, and the rows read under the counter lock — in any
 * interleaving; `accept` is the one gate: it takes only the record right after the head, so every
 * record is applied, and delivered to subscribers, exactly once and in seq order.
 */
import {
  type CanonicalPath,
  EMPTY_LABELS,
  evolve,
  type LabelRecord,
  type Labels,
} from '@lenslet/core';
import type { CommittedRecord } from '@lenslet/store';

export class Projection {
  readonly items = new Map<CanonicalPath, Labels>();
  readonly #ring: CommittedRecord[] = [];
  readonly #ringSize: number;
  readonly #listeners = new Set<(batch: readonly CommittedRecord[]) => void>();
  #head: number;
  #lastAt: string | null;

  constructor(head: number, lastAt: string | null, ringSize: number) {
    this.#head = head;
    this.#lastAt = lastAt;
    this.#ringSize = ringSize;
  }

  head(): number {
    return this.#head;
  }

  lastAt(): string | null {
    return this.#lastAt;
  }

  get(path: CanonicalPath): Labels {
    return this.items.get(path) ?? EMPTY_LABELS;
  }

  /**
   * Apply the records that follow the head, skip those already applied; stops at a gap (the
   * caller reads again). Labels computed by the writer are used when given, else folded here.
   * Returns how many records were new.
   */
  accept(records: readonly (LabelRecord | CommittedRecord)[]): number {
    const batch: CommittedRecord[] = [];
    for (const entry of records) {
      const record = 'record' in entry ? entry.record : entry;
      if (record.seq <= this.#head) continue;
      if (record.seq !== this.#head + 1) break;
      const labels =
        'labels' in entry
          ? entry.labels
          : evolve(this.items.get(record.path) ?? EMPTY_LABELS, record);
      this.items.set(record.path, labels);
      this.#head = record.seq;
      this.#lastAt = record.at;
      const committed = { record, labels };
      batch.push(committed);
      this.#ring.push(committed);
    }
    if (batch.length === 0) return 0;
    if (this.#ring.length > this.#ringSize * 2) {
      this.#ring.splice(0, this.#ring.length - this.#ringSize);
    }
    for (const listener of this.#listeners) listener(batch);
    return batch.length;
  }

  /** Records after < seq ≤ until from memory, or null when the ring no longer reaches `after`. */
  recent(after: number, until: number): CommittedRecord[] | null {
    const first = this.#ring[0]?.record.seq;
    if (first === undefined) return after >= this.#head ? [] : null;
    if (after + 1 < first) return null;
    return this.#ring.slice(after + 1 - first, Math.max(0, until - first + 1));
  }

  /** The record with this seq when it is still in memory. */
  recordAt(seq: number): LabelRecord | null {
    const first = this.#ring[0]?.record.seq;
    if (first === undefined || seq < first) return null;
    return this.#ring[seq - first]?.record ?? null;
  }

  subscribe(listener: (batch: readonly CommittedRecord[]) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}
