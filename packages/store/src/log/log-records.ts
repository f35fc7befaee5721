/**
 * Decode the records of one log file in batches, checking every crc, that seqs run on without a
 * gap, and that every group frame (group-frame.ts) is followed by exactly the bytes it announces.
 * The torn-tail rule (tail-verdict.ts, docs/format.md): in the live log only, damage that lies in
 * a write that was never acknowledged is reported as `torn` for the caller to cut and quarantine —
 * the whole damaged group and everything after it. Any other damage, or a seq that does not
 * follow, is a `LogProblem` naming file, line and offset.
 */
import type { LabelRecord } from '@lenslet/core';
import { decodeFrame, isFrameLine } from './group-frame.ts';
import { decodeLineBytes, type KnownPaths } from './jsonl-codec.ts';
import { type SourceRead, sourceLines } from './log-source.ts';
import {
  type Damage,
  damageReason,
  isJsonObject,
  TailEvidence,
  tailVerdict,
} from './tail-verdict.ts';

export type ProblemKind = 'corrupt' | 'gap';

/** A damaged log: which file, which line, what is wrong. */
export class LogProblem extends Error {
  readonly kind: ProblemKind;
  readonly file: string;
  readonly lineNo: number;
  readonly offset: number;
  readonly detail: string;
  constructor(kind: ProblemKind, file: string, lineNo: number, offset: number, detail: string) {
    super(`${file} line ${lineNo}: ${detail}`);
    this.name = 'LogProblem';
    this.kind = kind;
    this.file = file;
    this.lineNo = lineNo;
    this.offset = offset;
    this.detail = detail;
  }
}

export type RecordBatch = {
  readonly records: LabelRecord[];
  /** Byte offset of each record's line in its (uncompressed) file. */
  readonly offsets: number[];
};

/** An interrupted write at the end of the live log: cut from `offset` on. */
export type TornTail = {
  readonly offset: number;
  readonly lineNo: number;
  readonly reason: string;
  /** Whole records in the cut bytes (never acknowledged, never applied). */
  readonly records: number;
};

export type ReadSummary = {
  /** Seq the next record must have. */
  readonly nextSeq: number;
  /** Byte offset right after the last good line (of the last whole group). */
  readonly endOffset: number;
  /** Seq of the last good line read, skipped or not (0: none). */
  readonly lastSeq: number;
  /** Reading stopped at `untilSeq` / `untilAt` (more records follow). */
  readonly stopped: boolean;
  /** An interrupted write at the very end of the live log (tolerant mode only). */
  readonly torn: TornTail | null;
  /** An intact group frame was read (the file is written in framed groups). */
  readonly framed: boolean;
};

export type ReadOptions = {
  /** Seq the first record must have; records before it are skipped when `skipBefore`. */
  readonly expectSeq: number;
  /** Skip (without decoding) lines whose records come before `expectSeq` (starting mid-file). */
  readonly skipBefore?: boolean;
  /** Stop after this seq. */
  readonly untilSeq?: number;
  /** Stop before the first record whose `at` is later than this ISO time. */
  readonly untilAt?: string;
  /** Apply the torn-tail rule (live log only). */
  readonly tolerateTail?: boolean;
  /** Paths already known canonical (not checked again). */
  readonly knownPaths?: KnownPaths;
  /** Reading started mid-file: are there group frames before the start? (asked only when needed) */
  readonly framedBefore?: () => Promise<boolean>;
};

/** A group whose frame was read and whose last byte was not yet. */
type OpenGroup = {
  readonly start: number;
  readonly end: number;
  readonly lineNo: number;
  /** `expect` when the group began (restored when the group turns out torn). */
  readonly expect: number;
  /** Records held back until the group is whole (tolerant mode only). */
  readonly records: LabelRecord[];
  readonly offsets: number[];
  lastSeq: number;
};

const NUL = 0;

/** Read records of one file; `onBatch` gets them in order. */
export async function readRecords(
  read: SourceRead,
  options: ReadOptions,
  onBatch: (batch: RecordBatch) => void | Promise<void>,
): Promise<ReadSummary> {
  const name = read.file.name;
  const until = options.untilSeq ?? Number.POSITIVE_INFINITY;
  const tolerant = options.tolerateTail === true;
  let expect = options.expectSeq;
  let endOffset = read.start?.offset ?? 0;
  let lastSeq = 0;
  let stopped = false;
  /** Until reached inside a group (tolerant mode): finish reading the group, then stop. */
  let stopping = false;
  let group: OpenGroup | null = null;
  let framed = false;
  let damage: Damage | null = null;
  const after = new TailEvidence();
  // Paths already checked canonical: the caller's, or a set kept for this read.
  const local = options.knownPaths ? null : new Set<string>();
  const known = options.knownPaths ?? (local as Set<string>);

  const damaged = (lineOffset: number, lineNo: number, reason: string, json = false) => {
    damage = {
      offset: group?.start ?? lineOffset,
      lineNo: group?.lineNo ?? lineNo,
      lineOffset,
      lineLineNo: lineNo,
      reason,
      json,
      heldRecords: group?.records.length ?? 0,
    };
    if (group) expect = group.expect;
    group = null;
    if (!tolerant) throw new LogProblem('corrupt', name, lineNo, lineOffset, reason);
  };

  for await (const batch of sourceLines(read)) {
    const records: LabelRecord[] = [];
    const offsets: number[] = [];
    const { buf, bounds } = batch;
    for (let i = 0; i < bounds.length && !stopped; i += 2) {
      const start = bounds[i]!;
      const end = bounds[i + 1]!;
      const lineNo = batch.firstLineNo + i / 2;
      const offset = batch.base + start;
      const next = offset + (end - start) + 1;
      if (damage) {
        after.observe(buf, start, end, lineNo);
        continue;
      }
      if (isFrameLine(buf, start, end)) {
        const frame = decodeFrame(buf, start, end);
        if (frame && frame.durable <= offset && group === null) {
          framed = true;
          if (frame.group > 0) {
            group = {
              start: offset,
              end: next + frame.group,
              lineNo,
              expect,
              records: [],
              offsets: [],
              lastSeq: 0,
            };
          } else endOffset = next;
          continue;
        }
        // An intact frame where none can be is evidence too: it counts as a later group's word.
        if (frame) after.durable = Math.max(after.durable, frame.durable);
        damaged(
          offset,
          lineNo,
          !frame
            ? 'the group frame is damaged'
            : group
              ? 'a group frame inside the previous group: that group is cut short'
              : `the group frame says ${frame.durable} bytes were on disk before it, but it starts at byte ${offset}: bytes are missing`,
        );
        continue;
      }
      const decoded = decodeLineBytes(buf, start, end, lineNo, known);
      if (!decoded.ok) {
        damaged(
          offset,
          lineNo,
          damageReason(buf, start, end, decoded.problem),
          isJsonObject(buf, start, end),
        );
        continue;
      }
      const open = group as OpenGroup | null;
      if (open && next > open.end) {
        damaged(offset, lineNo, 'a record runs past the end of its group');
        continue;
      }
      if (local && local.size < 1_000_000) local.add(decoded.record.path);
      const seq = decoded.record.seq;
      if (seq < expect && options.skipBefore) {
        if (open) open.lastSeq = seq;
        else {
          endOffset = next;
          lastSeq = seq;
        }
      } else if (!stopping) {
        if (seq !== expect) {
          throw new LogProblem(
            'gap',
            name,
            lineNo,
            offset,
            `expected seq ${expect} but found seq ${seq} (${seq > expect ? 'records are missing' : 'seq repeats or goes back'})`,
          );
        }
        if (seq > until || (options.untilAt !== undefined && decoded.record.at > options.untilAt)) {
          // A torn group must not show its first records: read the rest of it before stopping.
          if (open && tolerant) stopping = true;
          else {
            stopped = true;
            break;
          }
        } else {
          if (open && tolerant) {
            open.records.push(decoded.record);
            open.offsets.push(offset);
          } else {
            records.push(decoded.record);
            offsets.push(offset);
          }
          if (open) open.lastSeq = seq;
          else {
            lastSeq = seq;
            endOffset = next;
          }
          expect = seq + 1;
        }
      }
      if (open && next === open.end) {
        for (let k = 0; k < open.records.length; k++) {
          records.push(open.records[k]!);
          offsets.push(open.offsets[k]!);
        }
        if (open.lastSeq > 0) lastSeq = open.lastSeq;
        endOffset = next;
        group = null;
        if (stopping) stopped = true;
      }
    }
    if (records.length > 0) await onBatch({ records, offsets });
    if (stopped || (expect > until && (group === null || !tolerant) && !damage)) {
      return { nextSeq: expect, endOffset, lastSeq, torn: null, stopped: true, framed };
    }
    if (batch.partial) {
      const offset = batch.base + batch.partial.start;
      if (damage) after.observePartial();
      else {
        const allNul = batch.buf
          .subarray(batch.partial.start, batch.partial.end)
          .every((b) => b === NUL);
        damaged(
          offset,
          batch.firstLineNo,
          allNul ? 'zero bytes at the end' : 'the last line is incomplete',
        );
      }
    }
  }
  const open = group as OpenGroup | null;
  if (open && !damage) {
    damaged(
      open.start,
      open.lineNo,
      `the last group is incomplete (its frame announces ${open.end - open.start} bytes with itself, the file ends before)`,
    );
  }
  const found = damage as Damage | null;
  if (!found) return { nextSeq: expect, endOffset, lastSeq, torn: null, stopped: false, framed };
  framed ||= after.frames > 0 || ((await options.framedBefore?.()) ?? false);
  const verdict = tailVerdict(found, after, framed);
  if (verdict.kind === 'refuse') {
    throw new LogProblem(
      'corrupt',
      name,
      found.lineLineNo,
      found.lineOffset,
      `${found.reason} (${verdict.why})`,
    );
  }
  const cutAt = found.lineOffset === found.offset ? '' : `line ${found.lineLineNo}: `;
  const unapplied =
    verdict.records > 0 ? `; ${verdict.records} whole records in it were never acknowledged` : '';
  return {
    nextSeq: expect,
    endOffset,
    lastSeq,
    stopped: false,
    framed,
    torn: {
      offset: found.offset,
      lineNo: found.lineNo,
      reason: `${cutAt}${found.reason}${unapplied}`,
      records: verdict.records,
    },
  };
}
