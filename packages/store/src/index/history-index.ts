/**
 * The history index: for every seq, the byte offset of its line inside the log file that holds
 * it, and a 32-bit hash of its path. `history(path)` scans the hash column (about 1 ms per million
 * records), then reads only the matching lines — never the log itself. 12 bytes per record.
 * Hash collisions only cost an extra read: the store checks the path of every line it reads.
 */
import type { CanonicalPath } from '@lenslet/core';

/**
 * FNV-1a over the UTF-16 code units of the JSON-encoded path (as it appears in a log line), without
 * building that string: a canonical path has no control characters or lone surrogates, so JSON
 * escapes only `"` and `\\`. pathHash(p) === hashJsonString(JSON.stringify(p)).
 */
export function pathHash(path: CanonicalPath | string): number {
  let h = Math.imul(0x811c9dc5 ^ 0x22, 0x01000193);
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) h = Math.imul(h ^ 0x5c, 0x01000193);
    h = Math.imul(h ^ c, 0x01000193);
  }
  h = Math.imul(h ^ 0x22, 0x01000193);
  return h | 0;
}

/** FNV-1a of a JSON string literal's text, quotes included. */
export function hashJsonString(json: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) {
    h ^= json.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export class HistoryIndex {
  #offsets = new Float64Array(1024);
  #hashes = new Int32Array(1024);
  /** Seqs 1..#known are indexed only where #filled says so. */
  #filled = new Uint8Array(1024);
  #high = 0;

  /** Highest seq with an entry. */
  get high(): number {
    return this.#high;
  }

  #grow(seq: number): void {
    if (seq <= this.#offsets.length) return;
    let size = this.#offsets.length;
    while (size < seq) size *= 2;
    const offsets = new Float64Array(size);
    offsets.set(this.#offsets);
    const hashes = new Int32Array(size);
    hashes.set(this.#hashes);
    const filled = new Uint8Array(size);
    filled.set(this.#filled);
    this.#offsets = offsets;
    this.#hashes = hashes;
    this.#filled = filled;
  }

  /** Remember where record `seq` is. */
  set(seq: number, hash: number, offset: number): void {
    this.#grow(seq);
    this.#offsets[seq - 1] = offset;
    this.#hashes[seq - 1] = hash;
    this.#filled[seq - 1] = 1;
    if (seq > this.#high) this.#high = seq;
  }

  /** Forget seqs above `seq` (their records were rejected and the seqs will be reused). */
  truncate(seq: number): void {
    if (seq >= this.#high) return;
    this.#filled.fill(0, seq, this.#high);
    this.#high = seq;
  }

  /** Offset of record `seq` within its file, or null when not indexed. */
  offsetOf(seq: number): number | null {
    return seq >= 1 && seq <= this.#high && this.#filled[seq - 1] ? this.#offsets[seq - 1]! : null;
  }

  /** True when every seq in [from, to] is indexed. */
  covers(from: number, to: number): boolean {
    if (to > this.#high) return false;
    for (let s = from; s <= to; s++) if (!this.#filled[s - 1]) return false;
    return true;
  }

  /** Seqs in [1, before) whose path hash matches, newest first, at most `limit`. */
  candidates(hash: number, before: number, limit: number): number[] {
    const found: number[] = [];
    const hashes = this.#hashes;
    for (let i = Math.min(before - 1, this.#high) - 1; i >= 0 && found.length < limit; i--) {
      if (hashes[i] === hash && this.#filled[i]) found.push(i + 1);
    }
    return found;
  }

  /** Raw columns for seqs [from, to] (for writing an index file). */
  slice(from: number, to: number): { offsets: Float64Array; hashes: Int32Array } {
    return {
      offsets: this.#offsets.slice(from - 1, to),
      hashes: this.#hashes.slice(from - 1, to),
    };
  }

  /** Bulk-load columns for seqs starting at `from`. */
  load(from: number, offsets: Float64Array, hashes: Int32Array): void {
    if (offsets.length === 0) return;
    const to = from + offsets.length - 1;
    this.#grow(to);
    this.#offsets.set(offsets, from - 1);
    this.#hashes.set(hashes, from - 1);
    this.#filled.fill(1, from - 1, to);
    if (to > this.#high) this.#high = to;
  }
}
