/**
 * Opening a workspace: the snapshot (base-snapshot.ts) + the records after it, read from
 * segments, archives and the live log (read-log-file.ts) and folded by `TailFold` (core
 * `foldInto`). Rules (docs/format.md, "Recovery"):
 * - a torn tail of the live log — damage in a write that was never acknowledged, judged by the
 *   group frames (log/tail-verdict.ts) — is cut with everything after it, its bytes kept in
 *   quarantine/, and a warning given (and reported in `torn`);
 * - a bad record anywhere else, or a seq gap, refuses to start (`corrupt_log`) naming the file,
 *   the line and the command that repairs it; nothing is skipped silently;
 * - an unreadable snapshot is set aside (quarantine) and rebuilt when the whole history from seq 1
 *   is present, and refuses to start (`corrupt_snapshot`) otherwise.
 * Read-only mode (`lenslet replay`) changes nothing on disk: it reports what it would cut.
 */
import { type CanonicalPath, type Labels, LensletError } from '@lenslet/core';
import type { HistoryIndex } from '../index/history-index.ts';
import type { IdempotencyLookup } from '../index/idempotency.ts';
import { isLegacyLine } from '../legacy/legacy-format.ts';
import { lineNumberAt } from '../log/line-number.ts';
import type { RecordBatch } from '../log/log-records.ts';
import type { LiveFile } from '../log/open-log.ts';
import { type FsPort, readRange } from '../port/fs-port.ts';
import type { CommittedRecord } from '../port/label-store.ts';
import type { SnapshotHeader } from '../snapshot/snapshot-codec.ts';
import { LOG_FILE, META_FILE, SNAPSHOT_FILE } from '../workspace/layout.ts';
import { readMeta, type WorkspaceMeta, writeMeta } from '../workspace/meta.ts';
import { type ImmutableFile, removeTempFiles, scanWorkspace } from '../workspace/workspace-scan.ts';
import { baseSnapshot } from './base-snapshot.ts';
import type { RecoveryContext } from './context.ts';
import { liveStart, REPAIR, readChecked, startInside } from './read-log-file.ts';
import { sealLiveLog } from './seal-live-log.ts';
import { adoptKeys, type ReadKeys, startKeys } from './snapshot-keys-off-thread.ts';
import { estimateLastSeq } from './tail-estimate.ts';
import { type FoldState, TailFold } from './tail-fold.ts';
import { cutTornTail, type TornReport } from './torn-tail.ts';

export type RecoverOptions = RecoveryContext & {
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
  /** Use the snapshot only when this holds for it (replay --until). */
  readonly snapshotUsable?: (header: SnapshotHeader) => boolean;
  /** Do not estimate where the log ends (see `Recovered.hintHeld`). */
  readonly noEndHint?: boolean;
  /** Read the snapshot's keys on another thread (the worker), when `idempotency` can take them. */
  readonly readKeys?: ReadKeys;
};

export type Recovered = {
  readonly meta: WorkspaceMeta;
  readonly history: ImmutableFile[];
  readonly live: LiveFile;
  /** The labels, in a map the store takes over. */
  readonly state: FoldState<Map<CanonicalPath, Labels>>;
  readonly lastAt: string | null;
  readonly snapshot: SnapshotHeader | null;
  readonly ring: CommittedRecord[];
  /** First seq the log files still hold (`origin + 1` unless history was dropped). */
  readonly oldestSeq: number;
  /** The seq the log starts after, over the empty state (0; an import sets it, meta.ts). */
  readonly origin: number;
  /** Records folded from the log (the tail after the snapshot). */
  readonly tailRecords: number;
  /** Seqs ≥ this were read now; the history index below it must be filled by the caller. */
  readonly tailFrom: number;
  /** An interrupted write cut from the end of the live log (read-only: found, not cut). */
  readonly torn: TornReport | null;
  /** False when the log ended far before its estimated end: recover again with `noEndHint`. */
  readonly hintHeld: boolean;
};

/** Recover the workspace at `options.dir`: its files, labels, newest records and meta. */
export async function recover(options: RecoverOptions): Promise<Recovered> {
  const { fs, dir, readOnly } = options;
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
  const hinted = !options.noEndHint && (options.ringSize > 0 || options.idempotency !== undefined);
  // Where the log ends is read while the snapshot loads (a few reads, waited on separately).
  const estimate = hinted
    ? estimateLastSeq(fs, dir, files.liveSize, lastHistory?.to ?? null)
    : Promise.resolve(null);
  estimate.catch(() => {});
  const snapshotPath = `${dir}/${SNAPSHOT_FILE}`;
  // (Without a snapshot file there is nothing to read: no worker is started for it.)
  const keys =
    options.ignoreSnapshot || !options.readKeys || !(await fs.stat(snapshotPath))
      ? null
      : startKeys(options.readKeys, options.idempotency, snapshotPath);
  let { snapshot, firstSeq, origin } = await baseSnapshot(
    { ...options, skipKeys: keys !== null },
    files,
    meta,
  );
  if (keys && snapshot && !(await adoptKeys(fs, snapshotPath, keys, snapshot.keySection))) {
    // Key lines that only the general reader takes, or refuses: the snapshot the ordinary way.
    ({ snapshot, firstSeq, origin } = await baseSnapshot(options, files, meta));
  }
  const header = snapshot?.header ?? null;
  const base: FoldState<Map<CanonicalPath, Labels>> = snapshot
    ? { seq: snapshot.header.seq, items: snapshot.items }
    : { seq: origin, items: new Map() };
  if (options.idempotency && !snapshot?.keysSkipped) {
    snapshot?.idempotency.addTo(options.idempotency);
  }
  const endHint = await estimate;
  const fold = new TailFold(base, {
    endHint,
    adopt: true,
    nowMs: options.now.getTime(),
    index: options.index,
    idempotency: options.idempotency,
    ringSize: options.ringSize,
    lastAt: snapshot ? snapshot.latestUpdate : null,
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
  const live: LiveFile = {
    kind: 'live',
    name: LOG_FILE,
    from: liveFrom,
    to: liveFrom - 1,
    bytes: 0,
  };
  let torn: TornReport | null = null;
  /** Whether the kept part of the live log is known to hold a frame (null: not known). */
  let framed: boolean | null = null;
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
      // Read from the snapshot's hint, the line number is an estimate: count it.
      const lineNo = start.start
        ? await lineNumberAt({ fs, dir, file }, summary.torn.offset)
        : summary.torn.lineNo;
      torn = await cutTornTail(options, files.liveSize, { ...summary.torn, lineNo });
    } else if (!summary.stopped) live.bytes = files.liveSize;
    // Frames seen in a cut tail say nothing about what is kept; from the top, none seen is none.
    framed = summary.framed && !summary.torn ? true : start.start || summary.torn ? null : false;
    next = summary.nextSeq;
    stopped = summary.stopped;
  }
  if (header && header.seq > live.to && header.seq > (lastHistory?.to ?? 0) && !stopped) {
    throw new LensletError(
      'corrupt_log',
      `${SNAPSHOT_FILE} is at seq ${header.seq} but the log ends at seq ${Math.max(live.to, lastHistory?.to ?? 0)}: records are missing from ${LOG_FILE}. Restore it from a backup, or ${REPAIR}.`,
    );
  }
  if (!readOnly) live.bytes = await sealLiveLog(fs, dir, live.bytes, framed);
  // Only a workspace that recovered cleanly gets its meta file (a refused open changes nothing).
  if (!meta) {
    meta = readOnly
      ? { format: 'none', log_id: header?.log_id ?? 'unsaved', created_at: '', first_seq: 1 }
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
    origin,
    tailRecords: fold.count,
    tailFrom: base.seq + 1,
    torn,
    hintHeld: fold.hintHeld(),
  };
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
