/**
 * `lenslet compact --repair`: salvage a damaged log. Every record that still decodes (crc and
 * shape) is kept in its order and renumbered gaplessly from 1 into a new live log with a new
 * log_id (so live clients resync); lines that do not decode are dropped from the log, and so is
 * the live log's never-acknowledged tail — an interrupted write, whole records after a hole
 * included (unacknowledged-tail.ts): those writes were never acknowledged, so they never count. Nothing is
 * destroyed: every original file (live log, segments, archives, snapshot, meta) is moved into
 * `quarantine/<time>-repair/` first. Idempotency keys survive (records keep mutation_id and fp).
 *
 * Steps: write `labels.log.jsonl.repaired` (fdatasync) → move originals to quarantine (fsync both
 * directories) → rename the repaired log into place → new labels.meta.json. If interrupted after
 * the move, run it again: it finishes from `labels.log.jsonl.repaired`.
 */
import type { LabelRecord } from '@lenslet/core';
import { encodeFrame, isFrameLine } from '../log/group-frame.ts';
import { crcHex, decodeLineBytes, encodeRecord } from '../log/jsonl-codec.ts';
import { type LogFile, sourceLines } from '../log/log-source.ts';
import type { FsPort } from '../port/fs-port.ts';
import {
  ARCHIVE_DIR,
  LOG_FILE,
  LOG_INDEX_FILE,
  META_FILE,
  QUARANTINE_DIR,
  SNAPSHOT_FILE,
} from './layout.ts';
import { writeMeta } from './meta.ts';
import { unacknowledgedTail } from './unacknowledged-tail.ts';
import { scanWorkspace } from './workspace-scan.ts';

export type RepairReport = {
  /** Records kept (renumbered 1…kept). */
  readonly kept: number;
  /** Lines that did not decode and were left out of the new log. */
  readonly dropped_lines: number;
  /**
   * The live log's never-acknowledged tail (an interrupted write: unacknowledged-tail.ts), left
   * out whole — its records too — and kept with the originals: bytes, and whole records in it.
   */
  readonly unacknowledged: { readonly bytes: number; readonly records: number };
  /** Records whose seq changed. */
  readonly renumbered: number;
  /** Where the original files are now (workspace-relative). */
  readonly quarantine: string;
  readonly log_id: string;
};

const REPAIRED = `${LOG_FILE}.repaired`;

/** Salvage the workspace at `dir`; the caller holds the lock. */
export async function repairWorkspace(fs: FsPort, dir: string, now: Date): Promise<RepairReport> {
  const pending = await fs.stat(`${dir}/${REPAIRED}`);
  let kept = 0;
  let dropped = 0;
  let renumbered = 0;
  let unacknowledged = { bytes: 0, records: 0 };
  if (!pending) {
    const files = await scanWorkspace(fs, dir, true);
    const sources: LogFile[] = [...files.history];
    let liveEnd: number | undefined;
    if (files.liveSize !== null) {
      sources.push({ kind: 'live', name: LOG_FILE, from: 0, to: 0, bytes: files.liveSize });
      const tail = await unacknowledgedTail(fs, `${dir}/${LOG_FILE}`);
      if (tail !== null) {
        liveEnd = tail;
        unacknowledged = {
          bytes: files.liveSize - tail,
          records: await wholeRecords(fs, dir, tail, files.liveSize),
        };
      }
    }
    const seen = new Set<string>();
    const out: string[] = [];
    let lastAt = '';
    for (const file of sources) {
      const end = file.kind === 'live' ? liveEnd : undefined;
      for await (const batch of sourceLines({ fs, dir, file, end })) {
        const { buf, bounds } = batch;
        for (let i = 0; i < bounds.length; i += 2) {
          if (isFrameLine(buf, bounds[i]!, bounds[i + 1]!)) continue;
          const decoded = decodeLineBytes(
            buf,
            bounds[i]!,
            bounds[i + 1]!,
            batch.firstLineNo + i / 2,
          );
          if (!decoded.ok) {
            dropped += 1;
            continue;
          }
          // The same record in two files (an interrupted compaction) is kept once.
          const identity = `${decoded.record.seq}:${crcHex(buf.subarray(bounds[i]!, bounds[i + 1]!))}`;
          if (seen.has(identity)) continue;
          seen.add(identity);
          kept += 1;
          const at = decoded.record.at < lastAt ? lastAt : decoded.record.at;
          lastAt = at;
          if (decoded.record.seq !== kept) renumbered += 1;
          const record: LabelRecord = { ...decoded.record, seq: kept, at };
          out.push(`${encodeRecord(record)}\n`);
        }
        if (batch.partial) dropped += 1;
      }
    }
    const handle = await fs.open(`${dir}/${REPAIRED}`, 'w');
    try {
      let position = 0;
      for (let i = 0; i < out.length; i += 4096) {
        const chunk = Buffer.from(out.slice(i, i + 4096).join(''));
        await handle.write(chunk, position);
        position += chunk.length;
      }
      // One frame after the records vouches for all of them (docs/format.md, "Group frames").
      await handle.write(Buffer.from(`${encodeFrame(0, position)}\n`), position);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.syncDir(dir);
  }
  const quarantine = `${QUARANTINE_DIR}/${now.toISOString().replaceAll(':', '-')}-repair`;
  await fs.mkdir(`${dir}/${QUARANTINE_DIR}`);
  await fs.mkdir(`${dir}/${quarantine}`);
  await fs.syncDir(dir);
  await fs.syncDir(`${dir}/${QUARANTINE_DIR}`);
  const files = await scanWorkspace(fs, dir, true);
  const originals = [
    LOG_FILE,
    LOG_INDEX_FILE,
    SNAPSHOT_FILE,
    META_FILE,
    ...files.segments.map((f) => f.name),
    ...(await fs.readdir(`${dir}/${ARCHIVE_DIR}`)).map((n) => `${ARCHIVE_DIR}/${n}`),
  ];
  for (const name of originals) {
    if (!(await fs.stat(`${dir}/${name}`))) continue;
    await fs.rename(`${dir}/${name}`, `${dir}/${quarantine}/${name.replaceAll('/', '_')}`);
  }
  await fs.syncDir(`${dir}/${quarantine}`);
  await fs.syncDir(`${dir}/${ARCHIVE_DIR}`).catch(() => {});
  await fs.syncDir(dir);
  await fs.rename(`${dir}/${REPAIRED}`, `${dir}/${LOG_FILE}`);
  await fs.syncDir(dir);
  const meta = await writeMeta(fs, dir, now);
  if (pending) {
    const data = await fs.readFile(`${dir}/${LOG_FILE}`);
    kept = data
      ? Buffer.from(data)
          .toString('utf8')
          .split('\n')
          .filter((line) => line.startsWith('{"v":')).length
      : 0;
  }
  return {
    kept,
    dropped_lines: dropped,
    unacknowledged,
    renumbered,
    quarantine,
    log_id: meta.log_id,
  };
}

/** Whole records in the live log's bytes [from, to). */
async function wholeRecords(fs: FsPort, dir: string, from: number, to: number): Promise<number> {
  const file: LogFile = { kind: 'live', name: LOG_FILE, from: 0, to: 0, bytes: to };
  let records = 0;
  for await (const batch of sourceLines({ fs, dir, file, start: { offset: from, lineNo: 1 } })) {
    const { buf, bounds } = batch;
    for (let i = 0; i < bounds.length; i += 2) {
      if (decodeLineBytes(buf, bounds[i]!, bounds[i + 1]!, 1).ok) records += 1;
    }
  }
  return records;
}
