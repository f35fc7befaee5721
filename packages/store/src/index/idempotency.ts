/**
 * Which idempotency keys were used for what. A key names one request: for a single write one
 * (path, fp); for a bulk write one fp per path. Kept for at least the last
 * `IDEMPOTENCY_MIN_RECORDS` records or `IDEMPOTENCY_MIN_AGE_MS`, whichever keeps more, and saved in
 * snapshots so retries are recognised after a restart.
 */
import type { CanonicalPath } from '@lenslet/core';
import type { WriteMode } from '../port/label-store.ts';

export const IDEMPOTENCY_MIN_RECORDS = 100_000;
export const IDEMPOTENCY_MIN_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** One remembered write: the key, the request kind, the item, its fingerprint and record seq. */
export type IdempotencyEntry = {
  readonly key: string;
  readonly mode: WriteMode;
  readonly path: CanonicalPath;
  readonly fp: string;
  readonly seq: number;
  /** Record time in ms since the epoch. */
  readonly at_ms: number;
};

export type IdempotencyVerdict =
  | { readonly kind: 'new' }
  | { readonly kind: 'retry'; readonly seq: number }
  | { readonly kind: 'reused'; readonly reason: string };

/** The verdict for a key not seen before (one shared object: checks run on every write). */
export const NEW_KEY: IdempotencyVerdict = Object.freeze({ kind: 'new' });

/**
 * What a key index that hashes its keys computed for one request in `check`, handed back to `add`
 * for the same request so its strings are not hashed again. Meaningful only to the index that
 * filled it.
 */
export type KeyHashes = {
  keyHi: number;
  keyLo: number;
  requestHi: number;
  requestLo: number;
  tag: number;
};

/** What the write head needs from a key index (the JSONL store keeps a compact one). */
export interface IdempotencyLookup {
  /**
   * Decide what a (key, path, fp) request is: new, a retry of `seq`, or a reused key. An index
   * that hashes keys leaves the request's hashes in `hashes` when given.
   */
  check(
    key: string,
    mode: WriteMode,
    path: CanonicalPath,
    fp: string,
    hashes?: KeyHashes,
  ): IdempotencyVerdict;
  /**
   * Remember a record's key. Entries must arrive in seq order. `hashes`: what `check` of this
   * entry's request left there (on this same index), so nothing is hashed again.
   */
  add(entry: IdempotencyEntry, hashes?: KeyHashes): void;
}

/** A key index that can also take an entry's key, path and fp as printable-ASCII bytes. */
export interface AsciiKeyLookup extends IdempotencyLookup {
  /** Get ready for `count` more entries (sizes the tables once). */
  reserve(count: number): void;
  /** `add` of the entry whose key, path and fp are buf[keyFrom, keyTo) etc. (ASCII only). */
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
  ): void;
}

/**
 * A key index that hashes its keys and can hand out a request's hashes ahead of `add`: recovery
 * keeps the newest records' keys as hashes (typed arrays) until the fold ends, not as strings.
 */
export interface HashedKeyLookup extends IdempotencyLookup {
  /** The hashes `check` would leave for (key, path, fp), into `into`; nothing is remembered. */
  hashRequest(key: string, path: CanonicalPath, fp: string, into: KeyHashes): void;
  /** `add` of an entry whose request's hashes `hashRequest` of this index gave. */
  addHashed(hashes: KeyHashes, mode: WriteMode, seq: number, atMs: number): void;
}

/** Whether `lookup` can hash requests ahead of `add`. */
export function isHashedKeyLookup(lookup: IdempotencyLookup): lookup is HashedKeyLookup {
  return typeof (lookup as Partial<HashedKeyLookup>).addHashed === 'function';
}

/** Whether `lookup` takes entries as bytes too. */
export function isAsciiKeyLookup(lookup: IdempotencyLookup): lookup is AsciiKeyLookup {
  return typeof (lookup as Partial<AsciiKeyLookup>).addAscii === 'function';
}

export class IdempotencyIndex implements IdempotencyLookup {
  readonly #byKey = new Map<string, Map<CanonicalPath, IdempotencyEntry>>();
  /** Entries in seq order, for pruning. */
  readonly #order: IdempotencyEntry[] = [];
  #head = 0;

  /** Decide what a (key, path, fp) request is: new, a retry of `seq`, or a reused key. */
  check(key: string, mode: WriteMode, path: CanonicalPath, fp: string): IdempotencyVerdict {
    const entries = this.#byKey.get(key);
    if (!entries) return { kind: 'new' };
    const same = entries.get(path);
    if (same) {
      return same.fp === fp && same.mode === mode
        ? { kind: 'retry', seq: same.seq }
        : { kind: 'reused', reason: `it was used for a different request on ${path}` };
    }
    const first = entries.values().next().value as IdempotencyEntry;
    // A bulk request covers many paths under one key; any other kind names exactly one item.
    if (mode === 'bulk' && first.mode === 'bulk') return { kind: 'new' };
    if (mode === 'metrics' && first.mode === 'metrics') return { kind: 'new' };
    return { kind: 'reused', reason: `it was used for a different request on ${first.path}` };
  }

  /** Remember a record's key. Entries must arrive in seq order. */
  add(entry: IdempotencyEntry): void {
    let entries = this.#byKey.get(entry.key);
    if (!entries) {
      entries = new Map();
      this.#byKey.set(entry.key, entries);
    }
    entries.set(entry.path, entry);
    this.#order.push(entry);
  }

  /** Forget entries both older than the age limit and beyond the record-count limit. */
  prune(nowMs: number, headSeq: number): void {
    let drop = 0;
    while (this.#head + drop < this.#order.length) {
      const entry = this.#order[this.#head + drop]!;
      if (entry.seq > headSeq - IDEMPOTENCY_MIN_RECORDS) break;
      if (entry.at_ms > nowMs - IDEMPOTENCY_MIN_AGE_MS) break;
      const entries = this.#byKey.get(entry.key);
      if (entries?.get(entry.path) === entry) {
        entries.delete(entry.path);
        if (entries.size === 0) this.#byKey.delete(entry.key);
      }
      drop += 1;
    }
    this.#head += drop;
    if (this.#head > 4096 && this.#head > this.#order.length / 2) {
      this.#order.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Entries still remembered, oldest first (what a snapshot saves). */
  entries(): IdempotencyEntry[] {
    return this.#order.slice(this.#head).filter((e) => this.#byKey.get(e.key)?.get(e.path) === e);
  }

  get size(): number {
    return this.#order.length - this.#head;
  }
}
