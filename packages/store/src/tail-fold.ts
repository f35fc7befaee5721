/**
 * Folding many records onto a state with core `project`, in large units: `project` copies the
 * item map once per call, so calling it per 4 MiB batch would copy a million-item map dozens of
 * times. Alongside the fold it fills what recovery also needs from each record: the history
 * index, the idempotency keys, the last record time, and a ring of the newest records.
 */
import { type LabelRecord, type LabelState, project } from '@lenslet/core';
import { modeOf } from './fingerprint.ts';
import { type HistoryIndex, pathHash } from './history-index.ts';
import type { IdempotencyEntry, IdempotencyLookup } from './idempotency.ts';
import type { RecordBatch } from './log-records.ts';

const FOLD_UNIT_RECORDS = 262_144;

/** The idempotency entry a record leaves behind. */
export function entryOf(record: LabelRecord): IdempotencyEntry {
  return {
    key: record.mutation_id,
    mode: modeOf(record.fp),
    path: record.path,
    fp: record.fp,
    seq: record.seq,
    at_ms: Date.parse(record.at),
  };
}

export type TailFoldOptions = {
  readonly index?: HistoryIndex;
  readonly idempotency?: IdempotencyLookup;
  /** How many of the newest records to keep (0: none). */
  readonly ringSize?: number;
  /** `at` of the record just before the first one folded, if known. */
  readonly lastAt?: string | null;
};

export class TailFold {
  #state: LabelState;
  #pending: LabelRecord[] = [];
  readonly #options: TailFoldOptions;
  #ring: LabelRecord[] = [];
  #lastAt: string | null;
  #count = 0;

  constructor(from: LabelState, options: TailFoldOptions = {}) {
    this.#state = from;
    this.#options = options;
    this.#lastAt = options.lastAt ?? null;
  }

  /** Take a batch of records in seq order. */
  add(batch: RecordBatch): void {
    const { records, offsets } = batch;
    const { index, idempotency } = this.#options;
    const ringSize = this.#options.ringSize ?? 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      this.#pending.push(record);
      index?.set(record.seq, pathHash(record.path), offsets[i]!);
      idempotency?.add(entryOf(record));
    }
    this.#count += records.length;
    if (ringSize > 0) {
      for (const record of records) this.#ring.push(record);
      if (this.#ring.length > ringSize * 2) this.#ring = this.#ring.slice(-ringSize);
    }
    if (records.length > 0) this.#lastAt = records[records.length - 1]!.at;
    if (this.#pending.length >= FOLD_UNIT_RECORDS) this.#flush();
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#state = project(this.#pending, this.#state);
    this.#pending = [];
  }

  /** The folded state. */
  state(): LabelState {
    this.#flush();
    return this.#state;
  }

  /** Records folded so far. */
  get count(): number {
    return this.#count;
  }

  lastAt(): string | null {
    return this.#lastAt;
  }

  /** The newest records (at most ringSize), oldest first. */
  ring(): LabelRecord[] {
    return this.#ring.slice(-(this.#options.ringSize ?? 0) || this.#ring.length);
  }
}
