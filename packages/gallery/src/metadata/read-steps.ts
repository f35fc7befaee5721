/**
 * Metadata readers are generators that yield the byte ranges they need and receive those bytes
 * (fewer at the end of the file), like the dimension reader: one logic for a file, an open
 * handle or an in-memory buffer. Every request goes through `readAt`, which enforces the per-file
 * budget; a reader that gets fewer bytes than asked checks `budget.spent` to tell a cut-off file
 * from the limit.
 */
import type { Need } from '../headers/bytes.ts';
import { MAX_METADATA_BYTES, MAX_METADATA_READS, MAX_WARNINGS } from './limits.ts';

export type Steps<T> = Generator<Need, T, Uint8Array>;

/** What one file may still cost; `spent` is set once a request was refused. */
export type ReadBudget = { bytes: number; reads: number; spent: boolean };

export function newBudget(bytes = MAX_METADATA_BYTES, reads = MAX_METADATA_READS): ReadBudget {
  return { bytes, reads, spent: false };
}

const EMPTY = new Uint8Array(0);

/**
 * `length` bytes at file `offset`, served from `head` (the file's first bytes, already read) when
 * it covers them; empty when the budget cannot pay for the read.
 */
export function* readAt(
  budget: ReadBudget,
  offset: number,
  length: number,
  head: Uint8Array = EMPTY,
): Steps<Uint8Array> {
  if (length <= 0) return EMPTY;
  if (offset + length <= head.length) return head.subarray(offset, offset + length);
  if (budget.reads <= 0 || length > budget.bytes) {
    budget.spent = true;
    return EMPTY;
  }
  budget.reads -= 1;
  budget.bytes -= length;
  return yield { offset, length };
}

/** Why the walk over chunk or segment headers stopped at byte `at` (`where` it expected more). */
export function endedEarly(
  budget: ReadBudget,
  at: number,
  where = 'before the image data',
): string {
  return budget.spent
    ? `metadata read limit reached at byte ${at}`
    : `file ends at byte ${at} ${where}`;
}

/** Why a read came back short: the file ended, or the budget refused it. */
export function shortRead(budget: ReadBudget, what: string, at: number, length: number): string {
  return budget.spent
    ? `${what} at byte ${at} (${length} bytes) is over the metadata read limit`
    : `${what} at byte ${at} is cut off by the end of the file`;
}

/** A capped list of warnings: past the cap, the last one says how many were dropped. */
export class Warnings {
  readonly list: string[] = [];
  private dropped = 0;
  add(message: string): void {
    if (this.list.length < MAX_WARNINGS - 1) this.list.push(message);
    else this.dropped++;
  }
  done(): string[] {
    return this.dropped === 0
      ? this.list
      : [...this.list, `${this.dropped} more warnings not shown`];
  }
}
