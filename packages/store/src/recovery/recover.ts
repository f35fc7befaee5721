/**
 * Opening a workspace: snapshot + the records after it (from segments, archives or the live log)
 * folded with core `project`. Rules (docs/format.md, "Recovery"):
 * - a torn tail of the live log is cut, its bytes kept in quarantine/, and a warning given;
 * - a bad record anywhere else, or a seq gap, refuses to start (`corrupt_log`) naming the file,
 *   the line and the command that repairs it; nothing is skipped silently;
 * - an unreadable snapshot is set aside (quarantine) and rebuilt when the whole history from seq 1
 *   is present, and refuses to start (`corrupt_snapshot`) otherwise.
 * Read-only mode (`lenslet replay`) changes nothing on disk: it reports what it would cut.
 */
import {
  type CanonicalPath,
  initialState,
  isLensletError,
  type LabelRecord,
  type LabelState,
  type Labels,
  LensletError,
} from '@lenslet/core';
import type { HistoryIndex } from '../index/history-index.ts';
import type { IdempotencyLookup } from '../index/idempotency.ts';
import { isLegacyLine } from '../legacy/legacy-format.ts';
import { decodeLineBytes, type KnownPaths } from '../log/jsonl-codec.ts';
import { LogProblem, type RecordBatch, readRecords } from '../log/log-records.ts';
import { type LogFile, readArchiveIndex, type SourceRead } from '../log/log-source.ts';
import type { FsPort } from '../port/fs-port.ts';
import type { SnapshotHeader } from '../snapshot/snapshot-codec.ts';
import { loadSnapshot } from '../snapshot/snapshot-file.ts';
import { LOG_FILE, META_FILE, QUARANTINE_DIR, SNAPSHOT_FILE } from '../workspace/layout.ts';
import { readMeta, type WorkspaceMeta, writeMeta } from '../workspace/meta.ts';
import { quarantineBytes, readRange } from '../workspace/quarantine.ts';
import { type ImmutableFile, removeTempFiles, scanWorkspace } from '../workspace/workspace-scan.ts';
import { TailFold } from './tail-fold.ts';

export type RecoverOptions = {
  readonly fs: FsPort;
  readonly dir: string;
  readonly now: Date;
  readonly warn: (message: string) => void;
  readonly readOnly: boolean;
  readonly ringSize: number;
  readonly index?: HistoryIndex;
  readonly idempotency?: IdempotencyLookup;
  /** Stop after this seq (read-only replay). */
  readonly untilSeq?: number;
  /** Stop before the first record later than this ISO time (read-only replay). */
  readonly untilAt?: string;
  /** Also see every folded record (replay --path, --verify). */
  readonly onBatch?: (batch: RecordBatch) => void;
  /** Ignore the snapshot and fold from seq 1 (replay --verify). */
  readonly ignoreSnapshot?: boolean;
};

export type Recovered = {
  readonly meta: WorkspaceMeta;
  readonly history: ImmutableFile[];
  readonly live: Extract<LogFile, { kind: 'live' }>;
  readonly state: LabelState;
  readonly lastAt: string | null;
  readonly snapshot: SnapshotHeader | null;
  readonly ring: LabelRecord[];
  /** First seq the log files still hold (1 unless history was dropped). */
  readonly oldestSeq: number;
  /** Records folded from the log (the tail after the snapshot). */
  readonly tailRecords: number;
  /** Seqs ≥ this were read now; the history index below it must be filled by the caller. */
  readonly tailFrom: number;
};

const REPAIR =
  'run "lenslet replay --verify" to see every problem, then "lenslet compact --repair"';

export async function recover(options: RecoverOptions): Promise<Recovered> {
  const { fs, dir, warn, readOnly } = options;
  if (await fs.stat(`${dir}/${LOG_FILE}.repaired`)) {
    throw new LensletError(
      'corrupt_log',
      `a repair of this workspace was interrupted (${LOG_FILE}.repaired exists); run "lenslet compact --repair" again to finish it`,
    );
  }
  if (!readOnly) await removeTempFiles(fs, dir);
  const files = await scanWorkspace(fs, dir);
  const history = files.history;
  const lastHistory = history.at(-1);
  if (lastHistory && files.liveFirstSeq !== null && files.liveFirstSeq !== lastHistory.to + 1) {
    throw new LensletError(
      'corrupt_log',
      `${lastHistory.name} ends at seq ${lastHistory.to} but ${LOG_FILE} starts at seq ${files.liveFirstSeq}; ${REPAIR}`,
    );
  }
  let meta = await readMeta(fs, dir);
  if (files.liveSize && files.liveFirstSeq === null && (await startsWithLegacyLine(fs, dir))) {
    throw new LensletError(
      'corrupt_log',
      `${LOG_FILE} holds lines in the original (Python) Lenslet's format, but this workspace was already converted (${META_FILE} exists). Move that file out of the way, or delete ${META_FILE} and ${SNAPSHOT_FILE} to import it again.`,
    );
  }
  const loaded = options.ignoreSnapshot ? null : await loadSnapshot(fs, `${dir}/${SNAPSHOT_FILE}`);
  let snapshot = loaded?.ok ? loaded.value : null;
  const firstSeq =
    history[0]?.from ?? files.liveFirstSeq ?? (snapshot ? snapshot.header.seq + 1 : 1);
  let snapshotProblem = loaded && !loaded.ok ? loaded.problem : null;
  if (snapshot && meta && snapshot.header.log_id !== meta.log_id) {
    snapshotProblem = `it belongs to another log (log_id ${snapshot.header.log_id}, this log is ${meta.log_id})`;
    snapshot = null;
  }
  if (snapshotProblem !== null) {
    if (firstSeq !== 1) {
      throw new LensletError(
        'corrupt_snapshot',
        `${SNAPSHOT_FILE} is unreadable (${snapshotProblem}) and the log no longer holds the records before seq ${firstSeq}, so the labels cannot be rebuilt. Restore ${SNAPSHOT_FILE} from a backup.`,
      );
    }
    if (readOnly)
      warn(`${SNAPSHOT_FILE} is unreadable (${snapshotProblem}); folding the whole log instead`);
    else {
      const saved = await setAside(fs, dir, SNAPSHOT_FILE, options.now);
      warn(
        `${SNAPSHOT_FILE} was unreadable (${snapshotProblem}); it was moved to ${saved} and the labels are rebuilt from the full log`,
      );
    }
  }
  if (!snapshot && firstSeq > 1) {
    throw new LensletError(
      'corrupt_snapshot',
      `${SNAPSHOT_FILE} is missing and the log starts at seq ${firstSeq}; the records before it are gone. Restore ${SNAPSHOT_FILE} from a backup.`,
    );
  }
  const header = snapshot?.header ?? null;
  if (header && header.seq < firstSeq - 1) {
    throw new LensletError(
      'corrupt_log',
      `${SNAPSHOT_FILE} covers seq 1–${header.seq} but the log starts at seq ${firstSeq}: records ${header.seq + 1}–${firstSeq - 1} are missing. Restore them from a backup.`,
    );
  }
  const base: LabelState = snapshot ? { seq: header!.seq, items: snapshot.items } : initialState();
  for (const entry of snapshot?.idempotency ?? []) options.idempotency?.add(entry);
  const fold = new TailFold(base, {
    adopt: true,
    nowMs: options.now.getTime(),
    index: options.index,
    idempotency: options.idempotency,
    ringSize: options.ringSize,
    lastAt: snapshot ? latestUpdate(snapshot.items) : null,
  });
  const until = { seq: options.untilSeq ?? Number.POSITIVE_INFINITY, at: options.untilAt };
  const add = (batch: RecordBatch) => {
    fold.add(batch);
    options.onBatch?.(batch);
  };
  let next = base.seq + 1;
  let stopped = next > until.seq;
  for (const file of history) {
    if (file.to < next || stopped) continue;
    const start = await startInside(fs, dir, file, next);
    const summary = await readChecked(
      { fs, dir, file, ...start },
      next,
      until,
      add,
      false,
      fold.knownPaths,
    );
    next = summary.nextSeq;
    stopped = summary.stopped;
  }
  const liveFrom = lastHistory ? lastHistory.to + 1 : (files.liveFirstSeq ?? next);
  const live: Extract<LogFile, { kind: 'live' }> = {
    kind: 'live',
    name: LOG_FILE,
    from: liveFrom,
    to: liveFrom - 1,
    bytes: 0,
  };
  if (files.liveSize !== null && !stopped) {
    const hint = header && next === header.seq + 1 && next > liveFrom ? header.log_offset : 0;
    const start = await liveStart(fs, dir, hint, next, liveFrom);
    const file = { ...live, bytes: files.liveSize };
    const summary = await readChecked(
      { fs, dir, file, ...start },
      next,
      until,
      add,
      true,
      fold.knownPaths,
    );
    live.to = Math.max(summary.lastSeq, live.from - 1, summary.nextSeq - 1);
    live.bytes = summary.endOffset;
    if (summary.torn) {
      live.bytes = summary.torn.offset;
      await cutTornTail(options, files.liveSize, summary.torn);
    } else if (!summary.stopped) live.bytes = files.liveSize;
    next = summary.nextSeq;
    stopped = summary.stopped;
  } else if (files.liveSize === null && !readOnly) {
    await createLiveLog(fs, dir);
  }
  if (header && header.seq > live.to && header.seq > (lastHistory?.to ?? 0) && !stopped) {
    throw new LensletError(
      'corrupt_log',
      `${SNAPSHOT_FILE} is at seq ${header.seq} but the log ends at seq ${Math.max(live.to, lastHistory?.to ?? 0)}: records are missing from ${LOG_FILE}. Restore it from a backup, or ${REPAIR}.`,
    );
  }
  // Only a workspace that recovered cleanly gets its meta file (a refused open changes nothing).
  if (!meta) {
    meta = readOnly
      ? { format: 'none', log_id: header?.log_id ?? 'unsaved', created_at: '' }
      : await writeMeta(fs, dir, options.now, header?.log_id);
  }
  return {
    meta,
    history,
    live,
    state: fold.state(),
    lastAt: fold.lastAt(),
    snapshot: header,
    ring: fold.ring(),
    oldestSeq: firstSeq,
    tailRecords: fold.count,
    tailFrom: base.seq + 1,
  };
}

/** Read one file's records with problems turned into `corrupt_log` errors. */
async function readChecked(
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
      },
      onBatch,
    );
  } catch (error) {
    if (error instanceof LogProblem) {
      throw new LensletError(
        'corrupt_log',
        `${error.message}${error.kind === 'gap' ? ' (a seq gap)' : ''}; ${REPAIR}`,
        { details: { file: error.file, line: error.lineNo, offset: error.offset } },
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
async function startInside(fs: FsPort, dir: string, file: ImmutableFile, next: number) {
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
async function liveStart(fs: FsPort, dir: string, hint: number, next: number, liveFrom: number) {
  if (next <= liveFrom) return {};
  if (hint > 0) {
    const head = await readRange(fs, `${dir}/${LOG_FILE}`, hint, 1024 * 1024);
    const nl = head.indexOf(0x0a);
    const decoded = nl > 0 ? decodeLineBytes(head, 0, nl, 0) : null;
    if (head.length === 0 || (decoded?.ok && decoded.record.seq === next)) {
      return { start: { offset: hint, lineNo: next - liveFrom + 1 } };
    }
  }
  return { skip: true };
}

async function cutTornTail(
  options: RecoverOptions,
  size: number,
  torn: { offset: number; lineNo: number; reason: string },
): Promise<void> {
  const { fs, dir, warn } = options;
  const length = size - torn.offset;
  const what = `${LOG_FILE} ends with ${length} bytes of an interrupted write at line ${torn.lineNo} (${torn.reason})`;
  if (options.readOnly) {
    warn(`${what}; ignoring them (the server cuts them off when it next opens the workspace)`);
    return;
  }
  const bytes = await readRange(fs, `${dir}/${LOG_FILE}`, torn.offset, length);
  const saved = await quarantineBytes(fs, dir, LOG_FILE, torn.offset, bytes, options.now);
  const handle = await fs.open(`${dir}/${LOG_FILE}`, 'r+');
  try {
    await handle.truncate(torn.offset);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  warn(`${what}; cut them off and saved them to ${saved}`);
}

async function createLiveLog(fs: FsPort, dir: string): Promise<void> {
  const handle = await fs.open(`${dir}/${LOG_FILE}`, 'a+');
  await handle.datasync();
  await handle.close();
  await fs.syncDir(dir);
}

/** Move a damaged file into quarantine/ (rename, so its bytes stay exactly as they were). */
async function setAside(fs: FsPort, dir: string, name: string, now: Date): Promise<string> {
  await fs.mkdir(`${dir}/${QUARANTINE_DIR}`);
  await fs.syncDir(dir);
  const target = `${QUARANTINE_DIR}/${now.toISOString().replaceAll(':', '-')}-${name}`;
  await fs.rename(`${dir}/${name}`, `${dir}/${target}`);
  await fs.syncDir(`${dir}/${QUARANTINE_DIR}`);
  await fs.syncDir(dir);
  return target;
}

/** Is the live log's first line an original-Lenslet line (not a torn write of ours)? */
async function startsWithLegacyLine(fs: FsPort, dir: string): Promise<boolean> {
  const head = await readRange(fs, `${dir}/${LOG_FILE}`, 0, 64 * 1024);
  const nl = head.indexOf(0x0a);
  if (nl <= 0) return false;
  try {
    return isLegacyLine(JSON.parse(head.toString('utf8', 0, nl)));
  } catch {
    return false;
  }
}

/** The newest `updated_at` among items: the time of the snapshot's last record. */
function latestUpdate(items: ReadonlyMap<CanonicalPath, Labels>): string | null {
  let latest: string | null = null;
  for (const labels of items.values()) {
    if (labels.updated_at !== null && (latest === null || labels.updated_at > latest)) {
      latest = labels.updated_at;
    }
  }
  return latest;
}
