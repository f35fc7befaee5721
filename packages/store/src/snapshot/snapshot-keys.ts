/**
 * The idempotency lines of a loaded snapshot, kept as the bytes they were read from (checked
 * already) until recovery hands them to an index: the JSONL store's table hashes a line's key,
 * path and fp straight from those bytes, so the hundred thousand keys of a snapshot cost no
 * string and no JSON.parse each. Lines not in the written form were parsed on the way in and are
 * kept as entries; the order of the lines is kept either way.
 */
import {
  type IdempotencyEntry,
  type IdempotencyLookup,
  isAsciiKeyLookup,
} from '../index/idempotency.ts';
import {
  addKeyLine,
  keyLine,
  keyLineStrings,
  readCanonicalKeyLine,
} from './canonical-snapshot-lines.ts';

export class SnapshotKeys {
  /** Buffers holding the lines, each used by the lines after it until the next. */
  readonly #bufs: Buffer[] = [];
  /** Per line: index in #bufs, start, end; or -1, index in #parsed, 0. */
  #lines: number[] = [];
  readonly #parsed: IdempotencyEntry[] = [];

  get length(): number {
    return this.#lines.length / 3;
  }

  /** Keep the line buf[start, end) if it is in the written form; false when it is not. */
  addLine(buf: Buffer, start: number, end: number): boolean {
    if (!readCanonicalKeyLine(buf, start, end)) return false;
    if (this.#bufs.at(-1) !== buf) this.#bufs.push(buf);
    this.#lines.push(this.#bufs.length - 1, start, end);
    return true;
  }

  /** Keep an entry parsed by the general path. */
  addEntry(entry: IdempotencyEntry): void {
    this.#lines.push(-1, this.#parsed.length, 0);
    this.#parsed.push(entry);
  }

  /** Hand every entry to `lookup`, in the order of the lines. */
  addTo(lookup: IdempotencyLookup): void {
    const ascii = isAsciiKeyLookup(lookup) ? lookup : null;
    ascii?.reserve(this.length);
    const lines = this.#lines;
    for (let i = 0; i < lines.length; i += 3) {
      const at = lines[i]!;
      if (at === -1) {
        lookup.add(this.#parsed[lines[i + 1]!]!);
        continue;
      }
      const buf = this.#bufs[at]!;
      readCanonicalKeyLine(buf, lines[i + 1]!, lines[i + 2]!);
      if (!ascii) lookup.add(entryOf(buf));
      else addKeyLine(ascii, buf);
    }
  }

  /** Every entry, in the order of the lines. */
  entries(): IdempotencyEntry[] {
    const entries: IdempotencyEntry[] = [];
    this.addTo({ add: (entry) => entries.push(entry), check: () => ({ kind: 'new' }) });
    return entries;
  }
}

function entryOf(buf: Buffer): IdempotencyEntry {
  const { key, path, fp } = keyLineStrings(buf);
  return {
    key,
    mode: keyLine.mode,
    path: path as IdempotencyEntry['path'],
    fp,
    seq: keyLine.seq,
    at_ms: keyLine.atMs,
  };
}
