/**
 * The heavy jobs that run off the main thread (in `snapshot-worker.ts`), or inline for tests with
 * the crash double: snapshot builds, archive builds, history-index scans and slices of the
 * background history check, and a snapshot's key table during recovery. Jobs and results are
 * plain data, so they cross a worker boundary unchanged.
 */
import { type ArchiveJob, type ArchiveResult, buildArchive } from '../compaction/archive.ts';
import { type ScanJob, type ScanResult, scanIndex } from '../index/index-scan.ts';
import { type CheckJob, type CheckResult, checkRange } from '../log/check-range.ts';
import type { FsPort } from '../port/fs-port.ts';
import {
  buildSnapshot,
  type SnapshotJob,
  type SnapshotResult,
} from '../snapshot/snapshot-build.ts';
import { type KeysJob, type KeysResult, readKeySection } from '../snapshot/snapshot-key-section.ts';

export type TaskMap = {
  snapshot: { job: SnapshotJob; result: SnapshotResult };
  archive: { job: ArchiveJob; result: ArchiveResult };
  scan: { job: ScanJob; result: ScanResult };
  check: { job: CheckJob; result: CheckResult };
  keys: { job: KeysJob; result: KeysResult };
};

export type TaskKind = keyof TaskMap;

/** Run one job with the given filesystem. */
export function runTask<K extends TaskKind>(
  fs: FsPort,
  kind: K,
  job: TaskMap[K]['job'],
): Promise<TaskMap[K]['result']> {
  switch (kind) {
    case 'snapshot':
      return buildSnapshot(fs, job as SnapshotJob) as Promise<TaskMap[K]['result']>;
    case 'archive':
      return buildArchive(fs, job as ArchiveJob) as Promise<TaskMap[K]['result']>;
    case 'scan':
      return scanIndex(fs, job as ScanJob) as Promise<TaskMap[K]['result']>;
    case 'check':
      return checkRange(fs, job as CheckJob) as Promise<TaskMap[K]['result']>;
    case 'keys':
      return readKeySection(fs, job as KeysJob) as Promise<TaskMap[K]['result']>;
    default:
      throw new Error(`unknown background task ${String(kind)}`);
  }
}
