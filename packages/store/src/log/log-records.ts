/**
 * Decode the records of one log file in batches, checking every crc and that seqs run on without
 * a gap. The torn-tail rule (docs/format.md): in the live log only, a run of bad bytes at the very
 * end — an unterminated last line, or lines that fail their crc with no good line after them — is
 * a torn write, reported as `torn` for the caller to cut and quarantine. A bad line anywhere else,
 * or a seq that does not follow, is a `LogProblem` naming file, line and offset.
 */
import type { LabelRecord } from '@lenslet/core';
import { decodeLineBytes, type KnownPaths } from './jsonl-codec.ts';
import { type SourceRead, sourceLines } from './log-source.ts';

export type ProblemKind = 'corrupt' | 'gap';

/** A damaged log: which file, which line, what is wrong. */
export class LogProblem extends Error {
  readonly kind: ProblemKind;
  readonly file: string;
  readonly lineNo: number;
  readonly offset: number;
  constructor(kind: ProblemKind, file: string, lineNo: number, offset: number, detail: string) {
    super(`${file} line ${lineNo}: ${detail}`);
    this.name = 'LogProblem';
    this.kind = kind;
    this.file = file;
    this.lineNo = lineNo;
    this.offset = offset;
  }
}

export type RecordBatch = {
  readonly records: LabelRecord[];
  /** Byte offset of each record's line in its (uncompressed) file. */
  readonly offsets: number[];
};

export type ReadSummary = {
  /** Seq the next record must have. */
  readonly nextSeq: number;
  /** Byte offset right after the last good line. */
  readonly endOffset: number;
  /** Seq of the last good line read, skipped or not (0: none). */
  readonly lastSeq: number;
  /** Reading stopped at `untilSeq` / `untilAt` (more records follow). */
  readonly stopped: boolean;
  /** Bad bytes at the very end of the live log (tolerant mode only). */
  readonly torn: {
    readonly offset: number;
    readonly lineNo: number;
    readonly reason: string;
  } | null;
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
};

const NUL = 0;

/**
 * Records handed over at a time. Small batches let decoded records die young: a whole 4 MiB
 * chunk of records (~17,000) held until folded survives the young-generation collections and is
 * copied into the old generation for nothing.
 */
const FOLD_BATCH_RECORDS = 512;

/** Read records of one file; `onBatch` gets them in order. */
export async function readRecords(
  read: SourceRead,
  options: ReadOptions,
  onBatch: (batch: RecordBatch) => void | Promise<void>,
): Promise<ReadSummary> {
  const name = read.file.name;
  const until = options.untilSeq ?? Number.POSITIVE_INFINITY;
  let expect = options.expectSeq;
  let endOffset = read.start?.offset ?? 0;
  let bad: { offset: number; lineNo: number; reason: string } | null = null;
  let jsonBefore: { offset: number; lineNo: number; reason: string } | null = null;
  let lastSeq = 0;
  let stopped = false;
  // Paths already checked canonical: the caller's, or a set kept for this read.
  const local = options.knownPaths ? null : new Set<string>();
  const known = options.knownPaths ?? (local as Set<string>);
  for await (const batch of sourceLines(read)) {
    let records: LabelRecord[] = [];
    let offsets: number[] = [];
    const { buf, bounds } = batch;
    for (let i = 0; i < bounds.length; i += 2) {
      const start = bounds[i]!;
      const end = bounds[i + 1]!;
      const lineNo = batch.firstLineNo + i / 2;
      const offset = batch.base + start;
      const decoded = decodeLineBytes(buf, start, end, lineNo, known);
      if (!decoded.ok) {
        if (!options.tolerateTail) {
          throw new LogProblem('corrupt', name, lineNo, offset, stripLine(decoded.problem));
        }
        // A torn write leaves garbage, zeros or a cut-off line; a whole JSON object whose check
        // fails, followed by more lines, is damage to data that was already on disk.
        if (jsonBefore) {
          throw new LogProblem(
            'corrupt',
            name,
            jsonBefore.lineNo,
            jsonBefore.offset,
            `${jsonBefore.reason} (more lines follow it, so this is not a torn write)`,
          );
        }
        bad ??= { offset, lineNo, reason: stripLine(decoded.problem) };
        if (isJsonObject(buf, start, end))
          jsonBefore = { offset, lineNo, reason: stripLine(decoded.problem) };
        continue;
      }
      if (bad) {
        throw new LogProblem(
          'corrupt',
          name,
          bad.lineNo,
          bad.offset,
          `${bad.reason} (and good records follow it, so this is not a torn write)`,
        );
      }
      if (local && local.size < 1_000_000) local.add(decoded.record.path);
      const seq = decoded.record.seq;
      if (seq < expect && options.skipBefore) {
        endOffset = offset + (end - start) + 1;
        lastSeq = seq;
        continue;
      }
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
        stopped = true;
        break;
      }
      records.push(decoded.record);
      offsets.push(offset);
      expect = seq + 1;
      lastSeq = seq;
      endOffset = offset + (end - start) + 1;
      if (records.length === FOLD_BATCH_RECORDS) {
        const pending = onBatch({ records, offsets });
        if (pending) await pending;
        records = [];
        offsets = [];
      }
    }
    if (records.length > 0) await onBatch({ records, offsets });
    if (stopped || expect > until) {
      return { nextSeq: expect, endOffset, lastSeq, torn: null, stopped: true };
    }
    if (batch.partial) {
      const offset = batch.base + batch.partial.start;
      const allNul = batch.buf
        .subarray(batch.partial.start, batch.partial.end)
        .every((b) => b === NUL);
      const reason = allNul ? 'zero bytes at the end' : 'the last line is incomplete';
      if (!options.tolerateTail) {
        throw new LogProblem('corrupt', name, batch.firstLineNo, offset, reason);
      }
      if (jsonBefore) {
        throw new LogProblem(
          'corrupt',
          name,
          jsonBefore.lineNo,
          jsonBefore.offset,
          `${jsonBefore.reason} (more bytes follow it, so this is not a torn write)`,
        );
      }
      bad ??= { offset, lineNo: batch.firstLineNo, reason };
    }
  }
  return { nextSeq: expect, endOffset, lastSeq, torn: bad, stopped: false };
}

function isJsonObject(buf: Buffer, start: number, end: number): boolean {
  if (buf[start] !== 0x7b) return false;
  try {
    const value = JSON.parse(buf.toString('utf8', start, end));
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

function stripLine(problem: string): string {
  return problem.replace(/^line \d+: /, '');
}
