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
import type { WriteMode } from '../port/label-store.ts';
import { HASH, HashSlots, hash64, hash64Bytes, hashKeyPath, KEY_HASH } from './hash-slots.ts';
import {
  type AsciiKeyLookup,
  IDEMPOTENCY_MIN_AGE_MS,
  IDEMPOTENCY_MIN_RECORDS,
  type IdempotencyEntry,
  type IdempotencyVerdict,
  type KeyHashes,
  NEW_KEY,
} from './idempotency.ts';

const MODES: readonly WriteMode[] = ['patch', 'put', 'bulk', 'metrics'];

export class IdempotencyTable implements AsciiKeyLookup {
  readonly #seed = randomInt(2 ** 31);
  /** (key, path) → seq, fp hash, mode */
  readonly #byRequest = new HashSlots();
  /** key → seq and mode of its first record */
  readonly #byKey = new HashSlots();
  /** Remembered records in seq order (for pruning). */
  readonly #fifo = new Fifo();
  /** Path of a record by seq, when still in memory (for error messages). */
  readonly #pathOf: (seq: number) => CanonicalPath | null;

  constructor(pathOf: (seq: number) => CanonicalPath | null = () => null) {
    this.#pathOf = pathOf;
  }

  get size(): number {
    return this.#fifo.length;
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
    hashes?: KeyHashes,
  ): IdempotencyVerdict {
    const tag = this.#fpTag(fp);
    // The key's hash and the (key, path) hash in one pass over the key.
    hashKeyPath(key, path, this.#seed);
    const { keyHi, keyLo, hi, lo } = KEY_HASH;
    if (hashes !== undefined) {
      hashes.keyHi = keyHi;
      hashes.keyLo = keyLo;
      hashes.requestHi = hi;
      hashes.requestLo = lo;
      hashes.tag = tag;
    }
    const same = this.#byRequest.find(hi, lo);
    if (same !== -1) {
      return this.#byRequest.tagAt(same) === tag && MODES[this.#byRequest.modeAt(same)] === mode
        ? { kind: 'retry', seq: this.#byRequest.seqAt(same) }
        : { kind: 'reused', reason: `it was used for a different request on ${path}` };
    }
    const first = this.#byKey.find(keyHi, keyLo);
    if (first === -1) return NEW_KEY;
    const firstMode = MODES[this.#byKey.modeAt(first)];
    if ((mode === 'bulk' || mode === 'metrics') && firstMode === mode) return NEW_KEY;
    const seq = this.#byKey.seqAt(first);
    const where = this.#pathOf(seq);
    return {
      kind: 'reused',
      reason: `it was used for a different request on ${where ?? `another image (record ${seq})`}`,
    };
  }

  add(entry: IdempotencyEntry, hashes?: KeyHashes): void {
    const mode = MODES.indexOf(entry.mode);
    if (hashes !== undefined) {
      const { keyHi, keyLo, requestHi, requestLo, tag } = hashes;
      this.#insert(keyHi, keyLo, requestHi, requestLo, tag, mode, entry.seq, entry.at_ms);
      return;
    }
    const tag = this.#fpTag(entry.fp);
    hashKeyPath(entry.key, entry.path, this.#seed);
    const { keyHi, keyLo, hi, lo } = KEY_HASH;
    this.#insert(keyHi, keyLo, hi, lo, tag, mode, entry.seq, entry.at_ms);
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
    this.#insert(keyHi, keyLo, HASH.hi, HASH.lo, tag, MODES.indexOf(mode), seq, atMs);
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
    this.#byKey.setIfAbsent(keyHi, keyLo, seq, 0, mode);
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

/** A growable FIFO of (4 hash lanes, seq, time) rows in typed arrays. */
class Fifo {
  #lanes = new Int32Array(4 * 1024);
  #seqs = new Float64Array(1024);
  #times = new Float64Array(1024);
  #head = 0;
  length = 0;

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
