/**
 * Folding a stream of records onto a state, batch by batch, with core `foldInto` (the one fold)
 * into one map this fold owns. (`project` copies the item map per call, which per 4 MiB batch
 * would copy a million-item map hundreds of times; holding all records to make one call would
 * hold the whole log in memory.) Alongside, it fills what recovery needs from each record: the
 * history index, the idempotency keys, the last record time, and a ring of the newest records
 * with the labels each produced.
 */
import {
  type CanonicalPath,
  type FieldVersions,
  foldInto,
  type LabelRecord,
  type LabelState,
  type Labels,
  type LabelTarget,
} from '@lenslet/core';
import { type HistoryIndex, pathHash } from '../index/history-index.ts';
import {
  IDEMPOTENCY_MIN_AGE_MS,
  IDEMPOTENCY_MIN_RECORDS,
  type IdempotencyLookup,
} from '../index/idempotency.ts';
import { fieldVersions } from '../log/interner.ts';
import type { KnownPaths } from '../log/jsonl-codec.ts';
import type { RecordBatch } from '../log/log-records.ts';
import type { CommittedRecord } from '../port/label-store.ts';
import { entryOf, type RecentKeys, recentKeys } from './recent-keys.ts';

export type TailFoldOptions = {
  readonly index?: HistoryIndex;
  readonly idempotency?: IdempotencyLookup;
  /** How many of the newest records to keep (0: none). */
  readonly ringSize?: number;
  /** `at` of the record just before the first one folded, if known. */
  readonly lastAt?: string | null;
  /** Take over `from.items` instead of copying it (the caller no longer uses it). */
  readonly adopt?: boolean;
  /** Now, for idempotency retention (default: the wall clock). */
  readonly nowMs?: number;
  /**
   * Where the log probably ends (tail-estimate.ts). Records too far before it to be among the
   * newest `ringSize`, or the newest IDEMPOTENCY_MIN_RECORDS (with a margin), are not held for
   * the ring or the idempotency window; `hintHeld()` says whether that was right.
   */
  readonly endHint?: number | null;
};

/** Records before the estimated idempotency window still held, in case the end comes earlier. */
const HINT_MARGIN_RECORDS = 16_384;

/** What a fold writes into: a `Map`, or another per-image table. */
export type FoldTable = LabelTarget & ReadonlyMap<CanonicalPath, Labels>;

/** The state a fold hands back: its own table. */
export type FoldState<T extends FoldTable> = { readonly seq: number; readonly items: T };

export class TailFold<T extends FoldTable = Map<CanonicalPath, Labels>> {
  readonly #items: T;
  #seq: number;
  readonly #options: TailFoldOptions;
  #ring: CommittedRecord[] = [];
  #lastAt: string | null;
  #count = 0;
  /**
   * The newest IDEMPOTENCY_MIN_RECORDS records' keys (recent-keys.ts), handed to the idempotency
   * index at the end; older ones are handed over as they leave it only when still young enough
   * to be kept. So the index is filled with exactly what retention keeps, in seq order.
   */
  readonly #recent: RecentKeys | null;
  readonly #cutoff: string;
  /** Records before these seqs are not held for the ring / the idempotency window. */
  readonly #ringFrom: number;
  readonly #keysFrom: number;
  /** Highest seq whose key was dropped as too old only because of `endHint` (0: none). */
  #droppedKey = 0;

  /** Fold onto `from`; its table is taken over with `adopt`, else copied into a `Map`. */
  constructor(from: FoldState<T> | LabelState, options: TailFoldOptions = {}) {
    this.#items = (options.adopt && 'set' in from.items ? from.items : new Map(from.items)) as T;
    this.#seq = from.seq;
    this.#options = options;
    this.#lastAt = options.lastAt ?? null;
    this.#cutoff = new Date((options.nowMs ?? Date.now()) - IDEMPOTENCY_MIN_AGE_MS).toISOString();
    this.#recent = options.idempotency ? recentKeys(options.idempotency, this.#cutoff) : null;
    // Without a hint every record is held as it passes (and dropped again once too old).
    const end = options.endHint ?? Number.NEGATIVE_INFINITY;
    this.#ringFrom = end - (options.ringSize ?? 0) + 1;
    this.#keysFrom = end - IDEMPOTENCY_MIN_RECORDS - HINT_MARGIN_RECORDS + 1;
  }

  /** Take a batch of records in seq order. */
  add(batch: RecordBatch): void {
    const { records, offsets } = batch;
    const { index, idempotency } = this.#options;
    const ringSize = this.#options.ringSize ?? 0;
    const ring = ringSize > 0 ? this.#ring : null;
    const ringFrom = this.#ringFrom;
    let i = 0;
    const each = (record: LabelRecord, labels: Labels) => {
      // A record with changes made `labels` just now; nothing else has seen it yet.
      if (record.changes.length > 0) shareVersions(labels);
      index?.set(record.seq, pathHash(record.path), offsets[i++]!);
      if (idempotency) this.#remember(record, idempotency);
      if (ring && record.seq >= ringFrom) ring.push({ record, labels });
    };
    this.#seq = foldInto(this.#items, records, this.#seq, each);
    this.#count += records.length;
    if (ring && ring.length > ringSize * 2) this.#ring = ring.slice(-ringSize);
    if (records.length > 0) this.#lastAt = records[records.length - 1]!.at;
  }

  #remember(record: LabelRecord, idempotency: IdempotencyLookup): void {
    if (record.seq < this.#keysFrom) {
      // Far from the end: kept only when young enough (in seq order, before everything later).
      if (record.at >= this.#cutoff) idempotency.add(entryOf(record));
      else this.#droppedKey = record.seq;
      return;
    }
    this.#recent!.push(record);
  }

  /** The items folded so far (to skip re-checking paths already known canonical). */
  get knownPaths(): KnownPaths {
    return this.#items as unknown as KnownPaths;
  }

  /** The folded state (the fold's own table: do not keep adding after handing it out). */
  state(): FoldState<T> {
    // The newest records' keys go to the idempotency index (once, after the last batch).
    this.#recent?.flush();
    return { seq: this.#seq, items: this.#items };
  }

  /**
   * False when the log ended so much earlier than `endHint` that a key the idempotency window
   * keeps was dropped; the caller then recovers again without the hint.
   */
  hintHeld(): boolean {
    return this.#droppedKey === 0 || this.#droppedKey <= this.#seq - IDEMPOTENCY_MIN_RECORDS;
  }

  /** Records folded so far. */
  get count(): number {
    return this.#count;
  }

  lastAt(): string | null {
    return this.#lastAt;
  }

  /** The newest records (at most ringSize) with the labels each produced, oldest first. */
  ring(): CommittedRecord[] {
    return this.#ring.slice(-(this.#options.ringSize ?? 0) || this.#ring.length);
  }
}

/**
 * Give fresh labels the shared copy of their field-versions triple (a gallery has few distinct
 * ones): a triple per record would otherwise live, with its labels, until the image's next record
 * — long enough to be copied out of the young generation — for each of a million records.
 */
function shareVersions(labels: Labels): void {
  const fv = labels.field_versions;
  const shared = fieldVersions(fv.star, fv.notes, fv.tags);
  if (shared !== fv) (labels as { field_versions: FieldVersions }).field_versions = shared;
}
