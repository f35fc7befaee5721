/**
 * A compact open-addressing hash table keyed by 64-bit string hashes, stored in typed arrays
 * (about 13–17 bytes per slot instead of ~150 for a Map of objects). Each slot holds a seq, a
 * 32-bit tag and a small mode number. Used by the idempotency table, which must remember up to a
 * week of keys (possibly millions) without blowing the memory budget.
 */

/** Two 32-bit lanes of the last `hash64` result; read right after calling. */
export const HASH = { hi: 0, lo: 0 };

/** Hash `text` (UTF-16 code units) with `seed` into HASH.hi, HASH.lo. */
export function hash64(text: string, seed: number): void {
  hash64Pair(text, null, seed);
}

/** The two lanes while a hash is computed (module state: no object per hash). */
let laneA = 0;
let laneB = 0;

function start(seed: number): void {
  laneA = 0x811c9dc5 ^ seed;
  laneB = 0x27d4eb2f ^ Math.imul(seed, 0x9e3779b1);
}

function step(c: number): void {
  laneA = Math.imul(laneA ^ c, 0x01000193);
  let b = Math.imul(laneB ^ c, 0x5bd1e995);
  b ^= b >>> 13;
  laneB = b;
}

/** `step` over every code unit of `text`, with the lanes in locals (the per-character loop). */
function feed(text: string): void {
  let a = laneA;
  let b = laneB;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  laneA = a;
  laneB = b;
}

/** `step` over the bytes buf[from, to), with the lanes in locals. */
function feedBytes(buf: Uint8Array, from: number, to: number): void {
  let a = laneA;
  let b = laneB;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  laneA = a;
  laneB = b;
}

function finish(): void {
  let a = laneA;
  let b = laneB;
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  a = Math.imul(a ^ b, 0xc2b2ae35);
  a ^= a >>> 16;
  b ^= b >>> 15;
  b = Math.imul(b, 0x2c1b3c6d);
  b ^= b >>> 12;
  b = Math.imul(b ^ a, 0x297a2d39);
  b ^= b >>> 15;
  HASH.hi = a | 0;
  HASH.lo = b | 0;
}

/** A separator that cannot occur in keys (printable ASCII), between the two strings of a pair. */
const SEPARATOR = 0x10000;

/** Hash `first`, a separator, then `second` (no concatenated string is built). */
export function hash64Pair(first: string, second: string | null, seed: number): void {
  start(seed);
  feed(first);
  if (second !== null) {
    step(SEPARATOR);
    feed(second);
  }
  finish();
}

/** The hashes of one request's key: `hash64(key)` and `hash64Pair(key, path)`, set by `hashKeyPath`. */
export const KEY_HASH = { keyHi: 0, keyLo: 0, hi: 0, lo: 0 };

/**
 * `hash64(key)` into KEY_HASH.keyHi/keyLo and `hash64Pair(key, path)` into KEY_HASH.hi/lo, reading
 * the key once (both hashes start with the same steps over the key).
 */
export function hashKeyPath(key: string, path: string, seed: number): void {
  start(seed);
  feed(key);
  const a = laneA;
  const b = laneB;
  finish();
  KEY_HASH.keyHi = HASH.hi;
  KEY_HASH.keyLo = HASH.lo;
  laneA = a;
  laneB = b;
  step(SEPARATOR);
  feed(path);
  finish();
  KEY_HASH.hi = HASH.hi;
  KEY_HASH.lo = HASH.lo;
}

/**
 * `hash64Pair` of strings given as bytes buf[from, to) and buf[from2, to2) (no second string when
 * from2 is -1). Equal to hashing the strings when the bytes are ASCII (one code unit per byte).
 */
export function hash64Bytes(
  buf: Uint8Array,
  from: number,
  to: number,
  from2: number,
  to2: number,
  seed: number,
): void {
  start(seed);
  feedBytes(buf, from, to);
  if (from2 !== -1) {
    step(SEPARATOR);
    feedBytes(buf, from2, to2);
  }
  finish();
}

const EMPTY = 0;
const TOMBSTONE = -1;

/** A `HashSlots` as plain data (its arrays cross a worker boundary by transfer). */
export type HashSlotsState = {
  readonly hi: Int32Array;
  readonly lo: Int32Array;
  readonly seq: Float64Array;
  readonly tag: Int32Array;
  readonly mode: Uint8Array;
  readonly used: number;
  readonly live: number;
};

export class HashSlots {
  #hi: Int32Array;
  #lo: Int32Array;
  /** 0 = empty, -1 = deleted, else the seq. */
  #seq: Float64Array;
  #tag: Int32Array;
  #mode: Uint8Array;
  #used = 0;
  #live = 0;

  constructor(capacity = 1024) {
    this.#hi = new Int32Array(capacity);
    this.#lo = new Int32Array(capacity);
    this.#seq = new Float64Array(capacity);
    this.#tag = new Int32Array(capacity);
    this.#mode = new Uint8Array(capacity);
  }

  get size(): number {
    return this.#live;
  }

  /** The table as plain data (the arrays themselves, not copies). */
  exportState(): HashSlotsState {
    return {
      hi: this.#hi,
      lo: this.#lo,
      seq: this.#seq,
      tag: this.#tag,
      mode: this.#mode,
      used: this.#used,
      live: this.#live,
    };
  }

  /** Take over the arrays of an exported table. */
  static fromState(state: HashSlotsState): HashSlots {
    const slots = new HashSlots(0);
    slots.#hi = state.hi;
    slots.#lo = state.lo;
    slots.#seq = state.seq;
    slots.#tag = state.tag;
    slots.#mode = state.mode;
    slots.#used = state.used;
    slots.#live = state.live;
    return slots;
  }

  /** Grow once so that `count` more entries fit without rehashing on the way. */
  reserve(count: number): void {
    if ((this.#used + count) * 10 > this.#seq.length * 7) this.#rehash(this.#live + count);
  }

  /** Slot of (hi, lo), or -1. */
  find(hi: number, lo: number): number {
    const mask = this.#seq.length - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const seq = this.#seq[i]!;
      if (seq === EMPTY) return -1;
      if (seq !== TOMBSTONE && this.#hi[i] === hi && this.#lo[i] === lo) return i;
    }
  }

  seqAt(slot: number): number {
    return this.#seq[slot]!;
  }
  tagAt(slot: number): number {
    return this.#tag[slot]!;
  }
  modeAt(slot: number): number {
    return this.#mode[slot]!;
  }

  /**
   * Insert, or overwrite the entry (hi, lo) holds (`overwrite` false: leave it as it is). One
   * probe: the walk that looks for the entry also finds the first free slot on its way.
   */
  set(hi: number, lo: number, seq: number, tag: number, mode: number, overwrite = true): void {
    if ((this.#used + 1) * 10 > this.#seq.length * 7) this.#rehash();
    const seqs = this.#seq;
    const mask = seqs.length - 1;
    let free = -1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const at = seqs[i]!;
      if (at === EMPTY) {
        if (free === -1) {
          free = i;
          this.#used += 1;
        }
        break;
      }
      if (at === TOMBSTONE) {
        if (free === -1) free = i;
      } else if (this.#hi[i] === hi && this.#lo[i] === lo) {
        if (!overwrite) return;
        free = i;
        this.#live -= 1;
        break;
      }
    }
    this.#hi[free] = hi;
    this.#lo[free] = lo;
    seqs[free] = seq;
    this.#tag[free] = tag;
    this.#mode[free] = mode;
    this.#live += 1;
  }

  /** Delete (hi, lo) if it still holds `seq`. */
  deleteIf(hi: number, lo: number, seq: number): void {
    const slot = this.find(hi, lo);
    if (slot === -1 || this.#seq[slot] !== seq) return;
    this.#seq[slot] = TOMBSTONE;
    this.#live -= 1;
  }

  /** Rebuild without tombstones, with room for `entries` at under half load. */
  #rehash(entries = this.#live): void {
    const old = { hi: this.#hi, lo: this.#lo, seq: this.#seq, tag: this.#tag, mode: this.#mode };
    let capacity = old.seq.length;
    while (entries * 2 >= capacity) capacity *= 2;
    this.#hi = new Int32Array(capacity);
    this.#lo = new Int32Array(capacity);
    this.#seq = new Float64Array(capacity);
    this.#tag = new Int32Array(capacity);
    this.#mode = new Uint8Array(capacity);
    this.#used = 0;
    this.#live = 0;
    // Every key is unique and the new table has room: place each in its first free slot.
    const mask = capacity - 1;
    for (let j = 0; j < old.seq.length; j++) {
      const seq = old.seq[j]!;
      if (seq === EMPTY || seq === TOMBSTONE) continue;
      const lo = old.lo[j]!;
      let i = lo & mask;
      while (this.#seq[i] !== EMPTY) i = (i + 1) & mask;
      this.#hi[i] = old.hi[j]!;
      this.#lo[i] = lo;
      this.#seq[i] = seq;
      this.#tag[i] = old.tag[j]!;
      this.#mode[i] = old.mode[j]!;
      this.#used += 1;
      this.#live += 1;
    }
  }
}
