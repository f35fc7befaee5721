/**
 * An open JSONL log: the files that hold it (archives and segments in seq order, then the live
 * log), the snapshot beside them, the writer appending to the live file, and the history index,
 * record reader and background runner over all of them. The JSONL store owns it; snapshot,
 * compaction and index jobs read it and change the file list, one job at a time (the store's
 * maintenance scheduler), while reads name files through `withStableFiles`.
 */
import type { BackgroundRunner } from '../background/runner.ts';
import type { HistoryIndex } from '../index/history-index.ts';
import type { FsPort } from '../port/fs-port.ts';
import type { SnapshotHeader } from '../snapshot/snapshot-codec.ts';
import type { ImmutableFile } from '../workspace/workspace-scan.ts';
import type { LogFile } from './log-source.ts';
import type { LogWriter } from './log-writer.ts';
import type { RecordReader } from './record-reader.ts';

export type LiveFile = Extract<LogFile, { kind: 'live' }>;

export type OpenLog = {
  readonly fs: FsPort;
  /** The `.lenslet` directory. */
  readonly dir: string;
  readonly durability: 'fsync' | 'relaxed';
  readonly clock: () => Date;
  readonly log_id: string;
  readonly index: HistoryIndex;
  readonly reader: RecordReader;
  readonly runner: BackgroundRunner;
  readonly writer: LogWriter<unknown>;
  /** Archives and segments in seq order, then the live log. */
  history: ImmutableFile[];
  live: LiveFile;
  snapshot: SnapshotHeader | null;
  /** The seq the log starts after over the empty state (0; an import sets it, meta.ts). */
  readonly origin: number;
  /** Bumped whenever a file of the log is renamed, replaced or removed (rotation, archiving). */
  epoch: number;
  /** True while a rotation is moving the live log (between its rename and the new file list). */
  moving: boolean;
  /** Durable head seq. */
  head(): number;
  warn(message: string): void;
};

/** The file holding `seq`, or null when it is older than the oldest file. */
export function fileOf(log: OpenLog, seq: number): LogFile | null {
  if (seq >= log.live.from) return log.live;
  const files = log.history;
  let lo = 0;
  let hi = files.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const file = files[mid]!;
    if (seq < file.from) hi = mid - 1;
    else if (seq > file.to) lo = mid + 1;
    else return file;
  }
  return null;
}

/** Every log file in seq order, the live log last. */
export function allFiles(log: OpenLog): LogFile[] {
  return [...log.history, log.live];
}

/**
 * Run a read that names log files; if a rotation or archiving moved a file under it (the epoch
 * changed), wait for that to finish and run it again.
 */
export async function withStableFiles<T>(log: OpenLog, read: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const epoch = log.epoch;
    const moving = log.moving;
    try {
      return await read();
    } catch (error) {
      if ((log.epoch === epoch && !moving && !log.moving) || attempt >= 3) throw error;
      // A rotation runs under the write lock: once the lock is free, the file list is settled.
      await log.writer.exclusive(async () => {});
    }
  }
}
