/**
 * The JSONL store's idempotency memory: the same rules as `IdempotencyIndex` (a key names one
 * request; bulk and metrics requests may cover many paths under one key; retention is the last
 * IDEMPOTENCY_MIN_RECORDS records or IDEMPOTENCY_MIN_AGE_MS, whichever keeps more), but held in
 * typed arrays as 64-bit hashes: about 75 bytes per remembered record, so a week of a million
 * writes fits in ~75 MB. The hashes are seeded per process, so keys cannot be crafted offline to
 * collide; a false match needs a 64-bit collision (and a false retry also a 32-bit fp collision).
 * The full entries (key, path, fp) live in the log and the snapshot.
 */
import { randomInt } from 'node:crypto';
import type { CanonicalPath } from '@lenslet/core';
import { WRITE_MODES, type WriteMode } from '../port/label-store.ts';
import {
  HASH,
  HashSlots,
  type HashSlotsState,
  hash64,
  hash64Bytes,
  hashKeyPath,
  KEY_HASH,
} from './hash-slots.ts';
import {
  type AsciiKeyLookup,
  type HashedKeyLookup,
  IDEMPOTENCY_MIN_AGE_MS,
  IDEMPOTENCY_MIN_RECORDS,
  type IdempotencyEntry,
  type IdempotencyVerdict,
  type KeyHashes,
  NEW_KEY,
} from './idempotency.ts';
import { Fifo, type FifoState } from './key-fifo.ts';

/**
 * An `IdempotencyTable` as plain data, with the seed its hashes were made with: built on the
 * worker thread from a snapshot's keys (snapshot-key-section.ts) and taken over by the store's.
 */
export type IdempotencyTableState = {
  readonly seed: number;
  readonly byRequest: HashSlotsState;
  readonly byKey: HashSlotsState;
  readonly fifo: FifoState;
};

/** The buffers of a state, to transfer rather than copy them across threads. */
export function stateBuffers(state: IdempotencyTableState): ArrayBuffer[] {
  const buffers: ArrayBufferLike[] = [];
  for (const slots of [state.byRequest, state.byKey]) {
    buffers.push(slots.hi.buffer, slots.lo.buffer, slots.seq.buffer, slots.tag.buffer);
    buffers.push(slots.mode.buffer);
  }
  buffers.push(state.fifo.lanes.buffer, state.fifo.seqs.buffer, state.fifo.times.buffer);
  return buffers as ArrayBuffer[];
}

export class IdempotencyTable implements AsciiKeyLookup, HashedKeyLookup {
  readonly #seed: number;
  /** (key, path) → seq, fp hash, mode */
  #byRequest = new HashSlots();
  /** Where `check` and `add` put a request's hashes when the caller keeps none. */
  readonly #scratch: KeyHashes = { keyHi: 0, keyLo: 0, requestHi: 0, requestLo: 0, tag: 0 };
  /** key → seq and mode of its first record */
  #byKey = new HashSlots();
  /** Remembered records in seq order (for pruning). */
  #fifo = new Fifo();
  /** Path of a record by seq, when still in memory (for error messages). */
  readonly #pathOf: (seq: number) => CanonicalPath | null;

  /** `seed` is for a table built elsewhere to be taken over by this one (`adopt`). */
  constructor(
    pathOf: (seq: number) => CanonicalPath | null = () => null,
    seed = randomInt(2 ** 31),
  ) {
    this.#pathOf = pathOf;
    this.#seed = seed;
  }

  get size(): number {
    return this.#fifo.length;
  }

  /** The hash seed (a table built with it on another thread can be adopted). */
  get seed(): number {
    return this.#seed;
  }

  /** The table as plain data (its arrays, not copies: do not use this table afterwards). */
  exportState(): IdempotencyTableState {
    return {
      seed: this.#seed,
      byRequest: this.#byRequest.exportState(),
      byKey: this.#byKey.exportState(),
      fifo: this.#fifo.exportState(),
    };
  }

  /** Take over a table exported with this table's seed; this one must still be empty. */
  adopt(state: IdempotencyTableState): void {
    if (state.seed !== this.#seed || this.size !== 0) {
      throw new Error('an idempotency table can only adopt a state made with its seed, when empty');
    }
    this.#byRequest = HashSlots.fromState(state.byRequest);
    this.#byKey = HashSlots.fromState(state.byKey);
    this.#fifo = Fifo.fromState(state.fifo);
  }

  #fpTag(fp: string): number {
    hash64(fp, this.#seed);
    return HASH.lo;
  }

  check(
    key: string,
    mode: WriteMode,
    path: CanonicalPath,
    fp: string,
    hashes: KeyHashes = this.#scratch,
  ): IdempotencyVerdict {
    this.hashRequest(key, path, fp, hashes);
    const { keyHi, keyLo, requestHi: hi, requestLo: lo, tag } = hashes;
    const same = this.#byRequest.find(hi, lo);
    if (same !== -1) {
      return this.#byRequest.tagAt(same) === tag &&
        WRITE_MODES[this.#byRequest.modeAt(same)] === mode
        ? { kind: 'retry', seq: this.#byRequest.seqAt(same) }
        : { kind: 'reused', reason: `it was used for a different request on ${path}` };
    }
    const first = this.#byKey.find(keyHi, keyLo);
    if (first === -1) return NEW_KEY;
    const firstMode = WRITE_MODES[this.#byKey.modeAt(first)];
    if ((mode === 'bulk' || mode === 'metrics') && firstMode === mode) return NEW_KEY;
    const seq = this.#byKey.seqAt(first);
    const where = this.#pathOf(seq);
    return {
      kind: 'reused',
      reason: `it was used for a different request on ${where ?? `another image (record ${seq})`}`,
    };
  }

  hashRequest(key: string, path: CanonicalPath, fp: string, into: KeyHashes): void {
    into.tag = this.#fpTag(fp);
    // The key's hash and the (key, path) hash in one pass over the key.
    hashKeyPath(key, path, this.#seed);
    into.keyHi = KEY_HASH.keyHi;
    into.keyLo = KEY_HASH.keyLo;
    into.requestHi = KEY_HASH.hi;
    into.requestLo = KEY_HASH.lo;
  }

  addHashed(hashes: KeyHashes, mode: WriteMode, seq: number, atMs: number): void {
    const { keyHi, keyLo, requestHi, requestLo, tag } = hashes;
    this.#insert(keyHi, keyLo, requestHi, requestLo, tag, WRITE_MODES.indexOf(mode), seq, atMs);
  }

  add(entry: IdempotencyEntry, hashes?: KeyHashes): void {
    let given = hashes;
    if (given === undefined) {
      given = this.#scratch;
      this.hashRequest(entry.key, entry.path, entry.fp, given);
    }
    this.addHashed(given, entry.mode, entry.seq, entry.at_ms);
  }

  reserve(count: number): void {
    this.#byRequest.reserve(count);
    this.#byKey.reserve(count);
    this.#fifo.reserve(count);
  }

  addAscii(
    buf: Uint8Array,
    keyFrom: number,
    keyTo: number,
    pathFrom: number,
    pathTo: number,
    fpFrom: number,
    fpTo: number,
    mode: WriteMode,
    seq: number,
    atMs: number,
  ): void {
    const seed = this.#seed;
    hash64Bytes(buf, fpFrom, fpTo, -1, 0, seed);
    const tag = HASH.lo;
    hash64Bytes(buf, keyFrom, keyTo, -1, 0, seed);
    const keyHi = HASH.hi;
    const keyLo = HASH.lo;
    hash64Bytes(buf, keyFrom, keyTo, pathFrom, pathTo, seed);
    this.#insert(keyHi, keyLo, HASH.hi, HASH.lo, tag, WRITE_MODES.indexOf(mode), seq, atMs);
  }

  /** Remember a record: its key's hash, its (key, path) hash (hi, lo) and its fp tag. */
  #insert(
    keyHi: number,
    keyLo: number,
    hi: number,
    lo: number,
    tag: number,
    mode: number,
    seq: number,
    atMs: number,
  ) {
    this.#byKey.set(keyHi, keyLo, seq, 0, mode, false);
    this.#byRequest.set(hi, lo, seq, tag, mode);
    this.#fifo.push(hi, lo, keyHi, keyLo, seq, atMs);
  }

  /** Forget records both older than the age limit and beyond the record-count limit. */
  prune(nowMs: number, headSeq: number): void {
    const fifo = this.#fifo;
    while (fifo.length > 0) {
      const seq = fifo.seq(0);
      if (seq > headSeq - IDEMPOTENCY_MIN_RECORDS) break;
      if (fifo.atMs(0) > nowMs - IDEMPOTENCY_MIN_AGE_MS) break;
      this.#byRequest.deleteIf(fifo.get(0, 0), fifo.get(0, 1), seq);
      this.#byKey.deleteIf(fifo.get(0, 2), fifo.get(0, 3), seq);
      fifo.shift();
    }
  }
}
