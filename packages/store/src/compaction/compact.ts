/**
 * Compacting an open log (`lenslet compact`, `POST /admin/compact`, or automatically past
 * `compact_above_bytes`): rotate the live log into a segment (rotate.ts), archive it
 * (archive-segments.ts), snapshot at the head (take-snapshot.ts), and report what it took.
 * Runs as a maintenance job of the store: one at a time, never beside a snapshot.
 */
import type { OpenLog } from '../log/open-log.ts';
import type { CompactionReport } from '../port/label-store.ts';
import { takeSnapshot } from '../snapshot/take-snapshot.ts';
import { LOG_FILE, SNAPSHOT_FILE } from '../workspace/layout.ts';
import { archiveSegments } from './archive-segments.ts';
import { rotate } from './rotate.ts';

export type CompactOptions = {
  /** Called with progress lines (the CLI prints them). */
  readonly onProgress?: (message: string) => void;
};

/** Rotate, archive and snapshot; `oldestSeq` is the first seq the log files hold. */
export async function compactLog(
  log: OpenLog,
  oldestSeq: number,
  options: CompactOptions = {},
): Promise<CompactionReport> {
  const started = performance.now();
  const to_seq = log.head();
  const bytes_before = await workspaceBytes(log);
  const rotated = await rotate(log);
  if (rotated) {
    options.onProgress?.(
      `rotated seqs ${rotated.segment.from}–${rotated.segment.to} out of the live log (writes waited ${rotated.stallMs.toFixed(1)} ms)`,
    );
  }
  const archived = await archiveSegments(log);
  await takeSnapshot(log);
  return {
    from_seq: oldestSeq,
    to_seq,
    bytes_before,
    bytes_after: await workspaceBytes(log),
    archive: archived.at(-1)?.name ?? null,
    duration_ms: performance.now() - started,
    longest_stall_ms: rotated?.stallMs ?? 0,
  };
}

/** Bytes of the log files and the snapshot. */
async function workspaceBytes(log: OpenLog): Promise<number> {
  let total = 0;
  for (const name of [SNAPSHOT_FILE, LOG_FILE, ...log.history.map((f) => f.name)]) {
    total += (await log.fs.stat(`${log.dir}/${name}`))?.size ?? 0;
  }
  for (const file of log.history) {
    if (file.kind === 'archive')
      total += (await log.fs.stat(`${log.dir}/${file.index_name}`))?.size ?? 0;
  }
  return total;
}
