/**
 * The keys of a fold's newest records, held until the fold ends (tail-fold.ts): the idempotency
 * index takes entries in seq order, and whether a record's key is kept depends on where the log
 * ends — the newest IDEMPOTENCY_MIN_RECORDS always, older ones only while younger than
 * IDEMPOTENCY_MIN_AGE_MS. So the newest `capacity` keys wait in a circular buffer; a key pushed
 * out is handed over when young enough, the rest at `flush`, oldest first.
 * For an index that hashes its keys (the JSONL store's `IdempotencyTable`) the buffer holds each
 * record's hashes in typed arrays instead of its strings: held as strings, a cold open's last
 * 100,000 keys lived long enough to be copied out of the young generation (~20 MB), only to be
 * hashed at the end anyway.
 */
import type { LabelRecord } from '@lenslet/core';
import {
  type HashedKeyLookup,
  IDEMPOTENCY_MIN_RECORDS,
  type IdempotencyEntry,
  type IdempotencyLookup,
  isHashedKeyLookup,
  type KeyHashes,
} from '../index/idempotency.ts';
import { WRITE_MODES } from '../port/label-store.ts';
import { modeOf } from '../write/fingerprint.ts';

/** What the idempotency index needs of a record (not its changes: those can be collected). */
export type KeyRecord = Pick<LabelRecord, 'mutation_id' | 'fp' | 'path' | 'seq' | 'at'>;

/** The idempotency entry a record leaves behind. */
export function entryOf(record: KeyRecord): IdempotencyEntry {
  return {
    key: record.mutation_id,
    mode: modeOf(record.fp),
    path: record.path,
    fp: record.fp,
    seq: record.seq,
    at_ms: Date.parse(record.at),
  };
}

export interface RecentKeys {
  /** Hold the key of the next record (in seq order). */
  push(record: KeyRecord): void;
  /** Hand every key still held to the index, oldest first, and hold none. */
  flush(): void;
}

/**
 * Recent keys for `idempotency`: a key pushed out of the newest `capacity` is handed over only
 * when its record's `at` is not before `cutoff` (an ISO time).
 */
export function recentKeys(
  idempotency: IdempotencyLookup,
  cutoff: string,
  capacity = IDEMPOTENCY_MIN_RECORDS,
): RecentKeys {
  return isHashedKeyLookup(idempotency)
    ? new HashedKeys(idempotency, cutoff, capacity)
    : new EntryKeys(idempotency, cutoff, capacity);
}

/** The keys as records' strings (any index). */
class EntryKeys implements RecentKeys {
  readonly #keys: KeyRecord[] = [];
  #pos = 0;
  constructor(
    readonly index: IdempotencyLookup,
    readonly cutoff: string,
    readonly capacity: number,
  ) {}

  push(record: KeyRecord): void {
    const keys = this.#keys;
    const key = {
      mutation_id: record.mutation_id,
      fp: record.fp,
      path: record.path,
      seq: record.seq,
      at: record.at,
    };
    if (keys.length < this.capacity) {
      keys.push(key);
      return;
    }
    const leaving = keys[this.#pos]!;
    if (leaving.at >= this.cutoff) this.index.add(entryOf(leaving));
    keys[this.#pos] = key;
    this.#pos = (this.#pos + 1) % this.capacity;
  }

  flush(): void {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) {
      this.index.add(entryOf(keys[(this.#pos + i) % keys.length]!));
    }
    keys.length = 0;
    this.#pos = 0;
  }
}

/** Hash lanes per key: key hi/lo, request hi/lo, fp tag (`KeyHashes`). */
const LANES = 5;

/** The keys as the index's hashes, in typed arrays (grown by doubling up to `capacity`). */
class HashedKeys implements RecentKeys {
  #lanes = new Int32Array(0);
  #seqs = new Float64Array(0);
  #times = new Float64Array(0);
  /** Mode index, and whether the record is young enough to be kept when pushed out. */
  #modes = new Uint8Array(0);
  #young = new Uint8Array(0);
  #length = 0;
  #pos = 0;
  readonly #hashes: KeyHashes = { keyHi: 0, keyLo: 0, requestHi: 0, requestLo: 0, tag: 0 };
  constructor(
    readonly index: HashedKeyLookup,
    readonly cutoff: string,
    readonly capacity: number,
  ) {}

  push(record: KeyRecord): void {
    let row: number;
    if (this.#length < this.capacity) {
      if (this.#length === this.#seqs.length) this.#grow();
      row = this.#length++;
    } else {
      row = this.#pos;
      if (this.#young[row] === 1) this.#handOver(row);
      this.#pos = (this.#pos + 1) % this.capacity;
    }
    const h = this.#hashes;
    this.index.hashRequest(record.mutation_id, record.path, record.fp, h);
    const lanes = this.#lanes;
    const at = row * LANES;
    lanes[at] = h.keyHi;
    lanes[at + 1] = h.keyLo;
    lanes[at + 2] = h.requestHi;
    lanes[at + 3] = h.requestLo;
    lanes[at + 4] = h.tag;
    this.#seqs[row] = record.seq;
    this.#times[row] = Date.parse(record.at);
    this.#modes[row] = WRITE_MODES.indexOf(modeOf(record.fp));
    this.#young[row] = record.at >= this.cutoff ? 1 : 0;
  }

  flush(): void {
    for (let i = 0; i < this.#length; i++) this.#handOver((this.#pos + i) % this.#length);
    this.#length = 0;
    this.#pos = 0;
  }

  #handOver(row: number): void {
    const h = this.#hashes;
    const lanes = this.#lanes;
    const at = row * LANES;
    h.keyHi = lanes[at]!;
    h.keyLo = lanes[at + 1]!;
    h.requestHi = lanes[at + 2]!;
    h.requestLo = lanes[at + 3]!;
    h.tag = lanes[at + 4]!;
    this.index.addHashed(h, WRITE_MODES[this.#modes[row]!]!, this.#seqs[row]!, this.#times[row]!);
  }

  /** Room for twice as many rows (only while not yet full: the rows are still in order). */
  #grow(): void {
    const rows = Math.min(this.capacity, Math.max(1024, this.#seqs.length * 2));
    const lanes = new Int32Array(rows * LANES);
    lanes.set(this.#lanes);
    this.#lanes = lanes;
    this.#seqs = copied(this.#seqs, new Float64Array(rows));
    this.#times = copied(this.#times, new Float64Array(rows));
    this.#modes = copied(this.#modes, new Uint8Array(rows));
    this.#young = copied(this.#young, new Uint8Array(rows));
  }
}

function copied<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
