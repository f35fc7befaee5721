/**
 * Which snapshot recovery starts from. An unreadable snapshot, or one of another log, is set
 * aside in quarantine/ (reported only, when read-only) and the labels are rebuilt from the log's
 * first seq — possible only while the log still holds it; otherwise the open is refused
 * (`corrupt_snapshot`), as it is when the snapshot and the log leave a gap between them. The
 * first seq is 1, or the meta file's `first_seq` (an imported original workspace, whose log
 * starts past the original's ids over the empty state).
 */
import { LensletError } from '@lenslet/core';
import type { SnapshotHeader } from '../snapshot/snapshot-codec.ts';
import { type LoadedSnapshot, loadSnapshot } from '../snapshot/snapshot-reader.ts';
import { SNAPSHOT_FILE } from '../workspace/layout.ts';
import type { WorkspaceMeta } from '../workspace/meta.ts';
import { setAside } from '../workspace/quarantine.ts';
import type { WorkspaceFiles } from '../workspace/workspace-scan.ts';
import type { RecoveryContext } from './context.ts';

export type BaseContext = RecoveryContext & {
  /** Ignore the snapshot and fold from seq 1 (replay --verify). */
  readonly ignoreSnapshot?: boolean;
  /**
   * Use the snapshot only when this holds for the one actually loaded (replay --until: not past
   * the target — checked on the loaded file, since a server may replace it at any moment).
   */
  readonly snapshotUsable?: (header: SnapshotHeader) => boolean;
  /** Only count the key lines: another thread reads them (snapshot-keys-off-thread.ts). */
  readonly skipKeys?: boolean;
};

export type Base = {
  /** The snapshot to start from, or null to fold from the log's first seq. */
  readonly snapshot: LoadedSnapshot | null;
  /** First seq the log files still hold (`origin + 1` unless history was dropped). */
  readonly firstSeq: number;
  /** The seq the log starts after, over the empty state (0, or set by an import). */
  readonly origin: number;
};

/** Load and check the snapshot against the log files and the meta file. */
export async function baseSnapshot(
  context: BaseContext,
  files: WorkspaceFiles,
  meta: WorkspaceMeta | null,
): Promise<Base> {
  const { fs, dir, warn } = context;
  const loaded = context.ignoreSnapshot
    ? null
    : await loadSnapshot(fs, `${dir}/${SNAPSHOT_FILE}`, context.skipKeys);
  let snapshot = loaded?.ok ? loaded.value : null;
  if (snapshot && context.snapshotUsable?.(snapshot.header) === false) snapshot = null;
  const origin = (meta?.first_seq ?? 1) - 1;
  const firstSeq =
    files.history[0]?.from ??
    files.liveFirstSeq ??
    (snapshot ? snapshot.header.seq + 1 : origin + 1);
  let snapshotProblem = loaded && !loaded.ok ? loaded.problem : null;
  if (snapshot && meta && snapshot.header.log_id !== meta.log_id) {
    snapshotProblem = `it belongs to another log (log_id ${snapshot.header.log_id}, this log is ${meta.log_id})`;
    snapshot = null;
  }
  if (snapshotProblem !== null) {
    if (firstSeq !== origin + 1) {
      throw new LensletError(
        'corrupt_snapshot',
        `${SNAPSHOT_FILE} is unreadable (${snapshotProblem}) and the log no longer holds the records before seq ${firstSeq}, so the labels cannot be rebuilt. Restore ${SNAPSHOT_FILE} from a backup.`,
      );
    }
    if (context.readOnly)
      warn(`${SNAPSHOT_FILE} is unreadable (${snapshotProblem}); folding the whole log instead`);
    else {
      const saved = await setAside(fs, dir, SNAPSHOT_FILE, context.now);
      warn(
        `${SNAPSHOT_FILE} was unreadable (${snapshotProblem}); it was moved to ${saved} and the labels are rebuilt from the full log`,
      );
    }
  }
  if (!snapshot && firstSeq > origin + 1) {
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
  return { snapshot, firstSeq, origin };
}
