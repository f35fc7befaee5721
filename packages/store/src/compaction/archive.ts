/**
 * Archives: a rotated segment becomes `archive/labels.<from>-<to>.jsonl.gz` — a concatenation of
 * gzip members, one per ~64 KiB block of whole lines, so `zcat` gives back the segment byte for
 * byte — plus `…idx` with the block table and each record's offset and path hash, so one record
 * is read by decompressing one block. Every line is checked (crc, seq) on the way in.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { LensletError } from '@lenslet/core';
import { pathHash } from '../index/history-index.ts';
import { type ArchiveBlock, encodeIndexFile } from '../index/index-file.ts';
import { decodeFrame, isFrameLine } from '../log/group-frame.ts';
import { decodeLineBytes } from '../log/jsonl-codec.ts';
import { type LogFile, sourceLines } from '../log/log-source.ts';
import type { FsPort } from '../port/fs-port.ts';

const gzip = promisify(gzipCallback);
export const ARCHIVE_BLOCK_BYTES = 64 * 1024;

export type ArchiveJob = {
  readonly dir: string;
  /** The segment (or an archive whose index is lost) to archive. */
  readonly source: LogFile;
  /** Temp names (workspace-relative) for the archive and its index. */
  readonly out_gz: string;
  readonly out_idx: string;
};

export type ArchiveResult = {
  readonly gz_bytes: number;
  readonly raw_bytes: number;
  readonly records: number;
};

export async function buildArchive(fs: FsPort, job: ArchiveJob): Promise<ArchiveResult> {
  const { source } = job;
  const count = source.to - source.from + 1;
  const offsets = new Float64Array(count);
  const hashes = new Int32Array(count);
  const blocks: ArchiveBlock[] = [];
  const gzHandle = await fs.open(`${job.dir}/${job.out_gz}`, 'w');
  let gzOffset = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let blockOffset = 0;
  let blockSeq = source.from;
  let next = source.from;
  let rawBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const raw = Buffer.concat(pending, pendingBytes);
    const packed = await gzip(raw, { level: 6 });
    await gzHandle.write(packed, gzOffset);
    blocks.push({
      first_seq: blockSeq,
      offset: blockOffset,
      gz_offset: gzOffset,
      gz_length: packed.length,
      length: raw.length,
    });
    gzOffset += packed.length;
    blockOffset += raw.length;
    blockSeq = next;
    pending = [];
    pendingBytes = 0;
  };
  try {
    for await (const batch of sourceLines({ fs, dir: job.dir, file: source })) {
      if (batch.partial) {
        throw new LensletError('corrupt_log', `${source.name} ends in the middle of a line`);
      }
      const { buf, bounds } = batch;
      for (let i = 0; i < bounds.length; i += 2) {
        const start = bounds[i]!;
        const end = bounds[i + 1]!;
        const lineNo = batch.firstLineNo + i / 2;
        const line = buf.subarray(start, end + 1);
        // Group frames stay in the archive (zcat gives back the segment), they are not records.
        if (isFrameLine(buf, start, end)) {
          if (!decodeFrame(buf, start, end)) {
            throw new LensletError(
              'corrupt_log',
              `${source.name} line ${lineNo}: the group frame is damaged`,
            );
          }
        } else {
          const decoded = decodeLineBytes(buf, start, end, lineNo);
          if (!decoded.ok)
            throw new LensletError('corrupt_log', `${source.name} ${decoded.problem}`);
          if (decoded.record.seq !== next) {
            throw new LensletError(
              'corrupt_log',
              `${source.name} line ${lineNo}: expected seq ${next}, found ${decoded.record.seq}`,
            );
          }
          offsets[next - source.from] = batch.base + start;
          hashes[next - source.from] = pathHash(decoded.record.path);
          next += 1;
        }
        pending.push(line);
        pendingBytes += line.length;
        rawBytes += line.length;
        if (pendingBytes >= ARCHIVE_BLOCK_BYTES) await flush();
      }
    }
    await flush();
    if (next !== source.to + 1) {
      throw new LensletError(
        'corrupt_log',
        `${source.name} should hold seqs ${source.from}–${source.to} but ends at ${next - 1}`,
      );
    }
    await gzHandle.datasync();
  } finally {
    await gzHandle.close();
  }
  const index = encodeIndexFile({
    from: source.from,
    to: source.to,
    covered_bytes: rawBytes,
    blocks,
    offsets,
    hashes,
  });
  const idxHandle = await fs.open(`${job.dir}/${job.out_idx}`, 'w');
  try {
    await idxHandle.write(index, 0);
    await idxHandle.datasync();
  } finally {
    await idxHandle.close();
  }
  return { gz_bytes: gzOffset, raw_bytes: rawBytes, records: count };
}
