/**
 * The parts of an open JSONL store that its helpers (maintenance, readers) share: where the files
 * are, which log files exist in seq order, the history index and the background runner. Owned
 * and mutated by `JsonlStore`; helpers read it and update the file list under the maintenance
 * mutex.
 */
import type { BackgroundRunner } from '../background/runner.ts';
import type { HistoryIndex } from '../index/history-index.ts';
import type { ResolvedOptions } from '../jsonl/options.ts';
import type { FsPort } from '../port/fs-port.ts';
import type { SnapshotHeader } from '../snapshot/snapshot-codec.ts';
import type { ImmutableFile } from '../workspace/workspace-scan.ts';
import type { LogFile } from './log-source.ts';
import type { LogWriter } from './log-writer.ts';
import type { RecordReader } from './record-reader.ts';

export type LiveFile = Extract<LogFile, { kind: 'live' }>;

export type StoreCore = {
  readonly fs: FsPort;
  readonly dir: string;
  readonly options: ResolvedOptions;
  readonly log_id: string;
  readonly index: HistoryIndex;
  readonly reader: RecordReader;
  readonly runner: BackgroundRunner;
  readonly writer: LogWriter<unknown>;
  /** Archives and segments in seq order, then the live log. */
  history: ImmutableFile[];
  live: LiveFile;
  snapshot: SnapshotHeader | null;
  /** Bumped whenever a file of the log is renamed, replaced or removed (rotation, archiving). */
  epoch: number;
  /** True while a rotation is moving the live log (between its rename and the new file list). */
  moving: boolean;
  /** Durable head seq. */
  head(): number;
  warn(message: string): void;
};

/** The file holding `seq`, or null when it is older than the oldest file. */
export function fileOf(core: StoreCore, seq: number): LogFile | null {
  if (seq >= core.live.from) return core.live;
  const files = core.history;
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
export function allFiles(core: StoreCore): LogFile[] {
  return [...core.history, core.live];
}

/**
 * Run a read that names log files; if a rotation or archiving moved a file under it (the epoch
 * changed), wait for that to finish and run it again.
 */
export async function withStableFiles<T>(core: StoreCore, read: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const epoch = core.epoch;
    const moving = core.moving;
    try {
      return await read();
    } catch (error) {
      if ((core.epoch === epoch && !moving && !core.moving) || attempt >= 3) throw error;
      // A rotation runs under the write lock: once the lock is free, the file list is settled.
      await core.writer.exclusive(async () => {});
    }
  }
}
