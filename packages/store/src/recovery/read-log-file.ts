/**
 * Reading one log file during recovery: where to start in it to reach the next seq (an archive's
 * block index, or the snapshot's offset hint into the live log, else skip lines from the top),
 * and every problem turned into `corrupt_log` naming the file, the line and the repair command.
 */
import { isLensletError, LensletError } from '@lenslet/core';
import { firstRecord } from '../log/first-record.ts';
import type { KnownPaths } from '../log/jsonl-codec.ts';
import { lineNumberAt } from '../log/line-number.ts';
import { LogProblem, readRecords } from '../log/log-records.ts';
import { readArchiveIndex, type SourceRead } from '../log/log-source.ts';
import { type FsPort, readRange } from '../port/fs-port.ts';
import { LOG_FILE } from '../workspace/layout.ts';
import type { ImmutableFile } from '../workspace/workspace-scan.ts';
import { framesBefore, seqEndingAt } from './frames-before.ts';

/** What every `corrupt_log` message tells the user to do. */
export const REPAIR =
  'run "lenslet replay --verify" to see every problem, then "lenslet compact --repair"';

/** Where a file read starts: a byte offset and line number, or skip lines before the seq. */
export type ReadStart = Pick<SourceRead, 'start' | 'index'> & { readonly skip?: boolean };

/** Read one file's records with problems turned into `corrupt_log` errors. */
export async function readChecked(
  read: SourceRead & { skip?: boolean },
  expectSeq: number,
  until: { seq: number; at: string | undefined },
  onBatch: Parameters<typeof readRecords>[2],
  tolerateTail = false,
  knownPaths?: KnownPaths,
) {
  try {
    return await readRecords(
      read,
      {
        expectSeq,
        untilSeq: until.seq,
        untilAt: until.at,
        skipBefore: read.skip === true,
        tolerateTail,
        knownPaths,
        framedBefore: read.start?.offset
          ? () => framesBefore(read.fs, `${read.dir}/${read.file.name}`, read.start!.offset)
          : undefined,
      },
      onBatch,
    );
  } catch (error) {
    if (error instanceof LogProblem) {
      // Started mid-file, the line number is an estimate: count it.
      const line = read.start?.offset
        ? await lineNumberAt({ fs: read.fs, dir: read.dir, file: read.file }, error.offset).catch(
            () => error.lineNo,
          )
        : error.lineNo;
      throw new LensletError(
        'corrupt_log',
        `${error.file} line ${line}: ${error.detail}${error.kind === 'gap' ? ' (a seq gap)' : ''}; ${REPAIR}`,
        { details: { file: error.file, line, offset: error.offset } },
      );
    }
    // A damaged gzip member or an archive cut short (found by the loader fuzz test, issue 6):
    // its bytes are bad, so say which file and how to salvage it instead of a raw zlib error.
    if (read.file.kind === 'archive' && !isLensletError(error)) {
      throw new LensletError(
        'corrupt_log',
        `${read.file.name} cannot be read (${(error as Error)?.message ?? error}); ${REPAIR}`,
        { details: { file: read.file.name }, cause: error },
      );
    }
    throw error;
  }
}

/** Where to start reading an immutable file to reach seq `next`. */
export async function startInside(
  fs: FsPort,
  dir: string,
  file: ImmutableFile,
  next: number,
): Promise<ReadStart> {
  if (next <= file.from) return {};
  if (file.kind === 'archive') {
    const index = await readArchiveIndex(fs, dir, file);
    if (index) {
      return {
        index,
        start: { offset: index.offsets[next - file.from]!, lineNo: next - file.from + 1 },
      };
    }
  }
  return { skip: true };
}

/** Start of the live log's tail: the snapshot's offset hint when it checks out. */
export async function liveStart(
  fs: FsPort,
  dir: string,
  hint: number,
  next: number,
  liveFrom: number,
): Promise<ReadStart> {
  if (next <= liveFrom) return {};
  if (hint > 0) {
    const path = `${dir}/${LOG_FILE}`;
    const head = await readRange(fs, path, hint, 1024 * 1024);
    // The record at the hint is the next one, or (when a torn write follows) the one before it
    // ends right there.
    if (
      head.length === 0 ||
      firstRecord(head)?.seq === next ||
      (await seqEndingAt(fs, path, hint)) === next - 1
    ) {
      return { start: { offset: hint, lineNo: next - liveFrom + 1 } };
    }
  }
  return { skip: true };
}
