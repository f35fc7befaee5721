/**
 * Check a seq range of one log file without folding it: every line decodes (crc, shape), seqs run
 * on, group frames match their groups — what recovery would check if it read these lines. The
 * background history check (jsonl/history-check.ts) runs it in slices on the worker thread.
 * A problem comes back as data naming file, line (counted from the file's start) and offset.
 */
import { errorCode, type FsPort } from '../port/fs-port.ts';
import { lineNumberAt } from './line-number.ts';
import { LogProblem, readRecords } from './log-records.ts';
import type { LogFile } from './log-source.ts';

export type CheckJob = {
  readonly dir: string;
  readonly file: LogFile;
  /** First seq to check, and where its line starts (0: find it from the top of the file). */
  readonly from_seq: number;
  readonly start: number;
  readonly to_seq: number;
};

export type CheckResult = {
  /** The seq after the last one checked (≤ to_seq: the file ended early). */
  readonly next_seq: number;
  readonly problem: {
    readonly file: string;
    readonly line: number;
    readonly offset: number;
    readonly detail: string;
  } | null;
};

export async function checkRange(fs: FsPort, job: CheckJob): Promise<CheckResult> {
  const { dir, file } = job;
  const inside = job.start > 0 && job.from_seq > file.from;
  try {
    const summary = await readRecords(
      {
        fs,
        dir,
        file,
        start: inside ? { offset: job.start, lineNo: job.from_seq - file.from + 1 } : undefined,
        end: file.kind === 'live' ? file.bytes : undefined,
      },
      { expectSeq: job.from_seq, untilSeq: job.to_seq, skipBefore: !inside },
      () => {},
    );
    return { next_seq: summary.nextSeq, problem: null };
  } catch (error) {
    if (error instanceof LogProblem) {
      const line = inside
        ? await lineNumberAt({ fs, dir, file }, error.offset).catch(() => error.lineNo)
        : error.lineNo;
      return {
        next_seq: job.from_seq,
        problem: { file: error.file, line, offset: error.offset, detail: error.detail },
      };
    }
    // A damaged gzip member or a cut-short archive is damage too; a file that moved is not.
    const code = errorCode(error);
    if (file.kind === 'archive' && code !== 'ENOENT' && code !== 'ECRASHED') {
      return {
        next_seq: job.from_seq,
        problem: {
          file: file.name,
          line: 0,
          offset: 0,
          detail: `cannot be read (${(error as Error)?.message ?? error})`,
        },
      };
    }
    throw error;
  }
}
