/**
 * Rebuild history-index columns (offset and path hash per record) for a range of a log file by
 * reading its lines — for segments and the part of the live log older than the snapshot, whose
 * index was not saved (after a crash).
 */

import { readRecords } from '../log/log-records.ts';
import type { LogFile } from '../log/log-source.ts';
import type { FsPort } from '../port/fs-port.ts';
import { pathHash } from './history-index.ts';

export type ScanJob = {
  readonly dir: string;
  readonly file: LogFile;
  /** First seq to index and where its line starts (0 with from_seq = file.from). */
  readonly from_seq: number;
  readonly start: number;
  readonly to_seq: number;
};

export type ScanResult = {
  readonly from_seq: number;
  readonly offsets: Float64Array;
  readonly hashes: Int32Array;
};

export async function scanIndex(fs: FsPort, job: ScanJob): Promise<ScanResult> {
  const count = Math.max(0, job.to_seq - job.from_seq + 1);
  const offsets = new Float64Array(count);
  const hashes = new Int32Array(count);
  if (count > 0) {
    await readRecords(
      {
        fs,
        dir: job.dir,
        file: job.file,
        start:
          job.start > 0
            ? { offset: job.start, lineNo: job.from_seq - job.file.from + 1 }
            : undefined,
      },
      { expectSeq: job.from_seq, untilSeq: job.to_seq, skipBefore: job.start === 0 },
      ({ records, offsets: at }) => {
        for (let i = 0; i < records.length; i++) {
          const slot = records[i]!.seq - job.from_seq;
          offsets[slot] = at[i]!;
          hashes[slot] = pathHash(records[i]!.path);
        }
      },
    );
  }
  return { from_seq: job.from_seq, offsets, hashes };
}
