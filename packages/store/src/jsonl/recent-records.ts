/**
 * The newest durable records with the labels each produced, in seq order: what a reconnecting
 * live stream replays from without touching the disk, and the cheapest place to find a record
 * that was just written. Holds between `size` and 2 × `size` records (trimmed in one splice).
 */
import type { LabelRecord } from '@lenslet/core';
import type { CommittedRecord } from '../port/label-store.ts';

export class RecentRecords {
  readonly #size: number;
  readonly #entries: CommittedRecord[];

  /** `entries`: the newest records recovery read, oldest first. */
  constructor(size: number, entries: CommittedRecord[]) {
    this.#size = size;
    this.#entries = entries;
  }

  /** Seq of the oldest record held (Infinity when empty). */
  get first(): number {
    return this.#entries[0]?.record.seq ?? Number.POSITIVE_INFINITY;
  }

  /** Add a durable record (the next seq). */
  push(committed: CommittedRecord): void {
    this.#entries.push(committed);
  }

  /** Drop the oldest records once more than twice the size are held. */
  trim(): void {
    if (this.#entries.length > this.#size * 2) {
      this.#entries.splice(0, this.#entries.length - this.#size);
    }
  }

  /** The record `seq`, when held. */
  record(seq: number): LabelRecord | null {
    const first = this.#entries[0]?.record.seq;
    if (first === undefined || seq < first) return null;
    return this.#entries[seq - first]?.record ?? null;
  }

  /** Records after..end (after < seq ≤ end), or null when they are not all held. */
  range(after: number, end: number): CommittedRecord[] | null {
    const first = this.first;
    if (after + 1 < first) return null;
    return this.#entries.slice(after + 1 - first, end - first + 1);
  }
}
