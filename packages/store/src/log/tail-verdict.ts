/**
 * The torn-tail rule (docs/format.md, "Recovery"): is the first damage in the live log an
 * interrupted, never-acknowledged write — cut it, with everything after it — or damage to records
 * that may have been acknowledged — refuse to start?
 *
 * - Groups are acknowledged in order, each after its own fdatasync returned (at most two are in
 *   flight), and each group's frame says how far the file was durable and acknowledged when it
 *   was written. So damage at byte X that no later frame vouches for (every later `durable` ≤ X)
 *   lies in writes that were never acknowledged: the tail from the start of the damaged group is
 *   cut, including whole records and groups after a hole (the kernel splits a write at page
 *   boundaries, so a power cut can persist a later page of a write without an earlier one).
 * - A later frame whose `durable` is past X vouches that X was on disk: refuse.
 * - A complete JSON line that fails its checks, followed by more lines, is not what a torn write
 *   leaves (that is zeros, cut-off lines, or nothing): refuse.
 * - A log without frames (written before they existed) has no such evidence: good records after
 *   the damage mean it is not a torn write (the old rule): refuse.
 */

import { decodeFrame, isFrameLine } from './group-frame.ts';
import { decodeLineBytes } from './jsonl-codec.ts';

/** The first damage found, and the group it breaks. */
export type Damage = {
  /** Where a cut would start: the damaged group's frame, else the damaged line. */
  readonly offset: number;
  readonly lineNo: number;
  /** The damaged line itself (what a refusal names). */
  readonly lineOffset: number;
  readonly lineLineNo: number;
  readonly reason: string;
  /** The damaged line is a complete JSON object (a check failed, it is not cut off). */
  readonly json: boolean;
  /** Whole records of the damaged group before the damaged line. */
  readonly heldRecords: number;
};

/** What the bytes after the damage say. */
export class TailEvidence {
  /** Largest `durable` of an intact frame after the damage. */
  durable = 0;
  lines = 0;
  records = 0;
  frames = 0;

  /** Look at one line after the damage. */
  observe(buf: Buffer, start: number, end: number, lineNo: number): void {
    this.lines += 1;
    if (isFrameLine(buf, start, end)) {
      const frame = decodeFrame(buf, start, end);
      if (frame) {
        this.frames += 1;
        this.durable = Math.max(this.durable, frame.durable);
      }
    } else if (decodeLineBytes(buf, start, end, lineNo).ok) this.records += 1;
  }

  /** Unterminated bytes at the end, after the damage. */
  observePartial(): void {
    this.lines += 1;
  }
}

export type Verdict =
  | { readonly kind: 'torn'; readonly records: number }
  | { readonly kind: 'refuse'; readonly why: string };

/** Decide; `framed` says whether frames were written in this file (any intact frame in it). */
export function tailVerdict(damage: Damage, after: TailEvidence, framed: boolean): Verdict {
  if (after.durable > damage.offset) {
    return {
      kind: 'refuse',
      why: `a later group says its first ${after.durable} bytes were on disk, so an acknowledged record is damaged`,
    };
  }
  if (damage.json && after.lines > 0) {
    return { kind: 'refuse', why: 'more lines follow it, so this is not a torn write' };
  }
  if (!framed && after.records > 0) {
    return { kind: 'refuse', why: 'and good records follow it, so this is not a torn write' };
  }
  return { kind: 'torn', records: damage.heldRecords + after.records };
}

/** Why a line that did not decode is bad; zeros get their own words (a page never written). */
export function damageReason(buf: Buffer, start: number, end: number, problem: string): string {
  const zero = buf.indexOf(0, start);
  if (zero !== -1 && zero < end) return 'zero bytes where records should be';
  return problem.replace(/^line \d+: /, '');
}

/** Is buf[start, end) a complete JSON object (not cut off, not garbage)? */
export function isJsonObject(buf: Buffer, start: number, end: number): boolean {
  if (buf[start] !== 0x7b) return false;
  try {
    const value = JSON.parse(buf.toString('utf8', start, end));
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}
