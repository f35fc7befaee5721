/**
 * What log files a workspace holds, in seq order: archives and segments (immutable, named by their
 * seq range) followed by the live log. Leftover temp files of interrupted writes are removed; an
 * archive whose index is damaged is replaced by its segment when that still exists.
 */
import { LensletError } from '@lenslet/core';
import { firstRecord } from '../log/first-record.ts';
import type { LogFile } from '../log/log-source.ts';
import type { FsPort } from '../port/fs-port.ts';
import { readRange } from '../port/fs-port.ts';
import { ARCHIVE_DIR, archiveIndexName, LOG_FILE, parseRangeName } from './layout.ts';

export type ImmutableFile = Exclude<LogFile, { kind: 'live' }>;

export type WorkspaceFiles = {
  /** Archives and segments in seq order, contiguous. */
  readonly history: ImmutableFile[];
  /** Segments whose archive is missing or incomplete, or whose archive already exists. */
  readonly segments: ImmutableFile[];
  readonly archives: ImmutableFile[];
  /** Size of the live log, or null when it does not exist. */
  readonly liveSize: number | null;
  /** Seq of the live log's first line, or null when it has no complete first line. */
  readonly liveFirstSeq: number | null;
};

/** Remove `*.tmp` leftovers in the workspace, segments/ and archive/. */
export async function removeTempFiles(fs: FsPort, dir: string): Promise<void> {
  for (const sub of ['', `/${ARCHIVE_DIR}`]) {
    const names = await fs.readdir(`${dir}${sub}`);
    const temps = names.filter((n) => n.endsWith('.tmp'));
    for (const name of temps) await fs.unlink(`${dir}${sub}/${name}`);
    if (temps.length > 0) await fs.syncDir(`${dir}${sub}`);
  }
}

/** List the workspace's log files; unless `lenient`, archives and segments must be contiguous. */
export async function scanWorkspace(
  fs: FsPort,
  dir: string,
  lenient = false,
): Promise<WorkspaceFiles> {
  const segments: ImmutableFile[] = [];
  for (const name of await fs.readdir(dir)) {
    const range = parseRangeName(name);
    if (range?.kind === 'jsonl') {
      segments.push({
        kind: 'segment',
        name,
        from: range.from,
        to: range.to,
      });
    }
  }
  const archives: ImmutableFile[] = [];
  const archiveNames = new Set(await fs.readdir(`${dir}/${ARCHIVE_DIR}`));
  for (const name of archiveNames) {
    const range = parseRangeName(name);
    if (range?.kind !== 'jsonl.gz') continue;
    archives.push({
      kind: 'archive',
      name: `${ARCHIVE_DIR}/${name}`,
      index_name: `${ARCHIVE_DIR}/${archiveIndexName(range.from, range.to)}`,
      from: range.from,
      to: range.to,
    });
  }
  // A segment and an archive of the same range: a compaction stopped half-way. The segment
  // stays the source until the archive is known complete (the store finishes the job).
  const byRange = new Map<string, ImmutableFile>();
  for (const file of [...archives, ...segments]) byRange.set(`${file.from}-${file.to}`, file);
  const history = [...byRange.values()].sort((a, b) => a.from - b.from);
  for (let i = 1; i < history.length && !lenient; i++) {
    const prev = history[i - 1]!;
    const next = history[i]!;
    if (next.from !== prev.to + 1) {
      throw new LensletError(
        'corrupt_log',
        `${prev.name} ends at seq ${prev.to} but ${next.name} starts at seq ${next.from}: ` +
          `${next.from > prev.to + 1 ? 'records are missing between them' : 'they overlap'}. ` +
          'Restore the missing file from a backup, or run "lenslet compact --repair" to renumber what is left.',
      );
    }
  }
  const live = await fs.stat(`${dir}/${LOG_FILE}`);
  return {
    history,
    segments: segments.sort((a, b) => a.from - b.from),
    archives: archives.sort((a, b) => a.from - b.from),
    liveSize: live ? live.size : null,
    liveFirstSeq: live && live.size > 0 ? await firstSeq(fs, `${dir}/${LOG_FILE}`) : null,
  };
}

/** Seq of a log file's first record (after any group frame), or null when that line is not one. */
async function firstSeq(fs: FsPort, path: string): Promise<number | null> {
  for (let length = 64 * 1024; length <= 16 * 1024 * 1024; length *= 4) {
    const head = await readRange(fs, path, 0, length);
    const record = firstRecord(head);
    if (record === undefined) {
      if (head.length < length) return null;
      continue;
    }
    return record?.seq ?? null;
  }
  return null;
}
