/**
 * Export a range of the log as a JSONL archive (docs/format.md §4): a concatenation of gzip
 * members, one per block of whole lines of about 64 KiB, so `zcat` gives back exactly the lines
 * the JSONL store would have written for those seqs. The `.idx` beside an archive is derived data
 * that the JSONL store rebuilds, so none is written here. The file is written under `.tmp`,
 * fdatasynced and renamed into place.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { LensletError } from '@lenslet/core';
import { ARCHIVE_BLOCK_BYTES } from '@lenslet/store';
import type { Sql } from 'postgres';
import { PAGE_ROWS } from './log-reads.ts';
import type { LogRow } from './log-rows.ts';
import { decodeRows } from './log-rows.ts';

const gzip = promisify(gzipCallback);

export type ArchiveExport = {
  readonly from: number;
  readonly to: number;
  readonly records: number;
  readonly raw_bytes: number;
  readonly gz_bytes: number;
};

/** `labels.<from>-<to>.jsonl.gz`: the archive name the JSONL store uses for a range. */
export function archiveName(from: number, to: number): string {
  const pad = (n: number) => String(n).padStart(12, '0');
  return `labels.${pad(from)}-${pad(to)}.jsonl.gz`;
}

/** Write records from..to (inclusive, all present) to `file` in the archive format. */
export async function exportArchive(
  sql: Sql,
  from: number,
  to: number,
  file: string,
): Promise<ArchiveExport> {
  if (!(from >= 1 && to >= from)) {
    throw new LensletError('invalid_request', `cannot archive seqs ${from}–${to}`);
  }
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  let gzBytes = 0;
  let rawBytes = 0;
  let next = from;
  let block: Buffer[] = [];
  let blockBytes = 0;
  const flush = async () => {
    if (blockBytes === 0) return;
    const packed = await gzip(Buffer.concat(block, blockBytes), { level: 6 });
    await handle.write(packed);
    gzBytes += packed.length;
    block = [];
    blockBytes = 0;
  };
  try {
    while (next <= to) {
      const rows = await sql<LogRow[]>`
        SELECT seq, line FROM lenslet_log WHERE seq >= ${next} AND seq <= ${to}
        ORDER BY seq LIMIT ${PAGE_ROWS}`;
      // Every line is checked (crc, shape, seq) before it goes into an archive.
      const records = decodeRows(rows);
      for (let i = 0; i < rows.length; i++) {
        if (records[i]!.seq !== next) {
          throw new LensletError('corrupt_log', `lenslet_log has no record ${next}`);
        }
        const line = Buffer.from(`${rows[i]!.line}\n`, 'utf8');
        block.push(line);
        blockBytes += line.length;
        rawBytes += line.length;
        next += 1;
        if (blockBytes >= ARCHIVE_BLOCK_BYTES) await flush();
      }
      if (rows.length === 0)
        throw new LensletError('corrupt_log', `lenslet_log has no record ${next}`);
    }
    await flush();
    await handle.datasync();
    await handle.close();
    await rename(tmp, file);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw error;
  }
  return { from, to, records: to - from + 1, raw_bytes: rawBytes, gz_bytes: gzBytes };
}
