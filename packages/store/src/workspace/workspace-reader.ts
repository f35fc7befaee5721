/**
 * Reading a workspace without opening it for writing: `lenslet replay` and `lenslet compact`'s
 * reports. Takes no lock, repairs nothing, writes nothing (a torn tail is reported, not cut), so
 * it is safe while a server holds the workspace — and while it compacts: every read sees one
 * consistent set of log files (consistent-read.ts).
 */
import type { CanonicalPath, LabelRecord, LabelState } from '@lenslet/core';
import { LensletError } from '@lenslet/core';
import type { FsPort } from '../port/fs-port.ts';
import { nodeFs } from '../port/node-fs.ts';
import { type Recovered, recover } from '../recovery/recover.ts';
import type { SnapshotHeader } from '../snapshot/snapshot-codec.ts';
import { consistentRead } from './consistent-read.ts';
import { LOG_FILE, META_FILE, SNAPSHOT_FILE } from './layout.ts';

/** A point in history: a seq, or a time (the last record at or before it). */
export type ReplayTarget = { readonly seq?: number; readonly at?: string };

export type ReaderOptions = {
  readonly fs?: FsPort;
  readonly clock?: () => Date;
  /** Torn tails and unreadable snapshots are reported here (default: ignored). */
  readonly onWarning?: (message: string) => void;
};

export interface WorkspaceReader {
  readonly dir: string;
  /** Labels as of the target (the newest state when the target is empty). */
  stateAt(target?: ReplayTarget): Promise<LabelState>;
  /** One image's records up to the target, oldest first. */
  historyOf(path: CanonicalPath, target?: ReplayTarget): Promise<LabelRecord[]>;
  /** The whole log folded from seq 1 (for `--verify`), with every batch shown to `onBatch`. */
  foldAll(
    onBatch?: Parameters<typeof recover>[0]['onBatch'],
    target?: ReplayTarget,
  ): Promise<Recovered>;
  /**
   * What the server would recover: snapshot + tail — up to `untilSeq` when given (a server may
   * be appending meanwhile), with the snapshot only when it is not past that seq.
   */
  recoverAsServer(untilSeq?: number): Promise<Recovered>;
  /**
   * Run `read` so that it sees one consistent set of log files: again, when a compaction moved
   * files under it (every method above does this for itself).
   */
  consistent<T>(read: () => Promise<T>): Promise<T>;
}

/** Open `dir` (the .lenslet directory) for reading; `not_found` when it holds no workspace. */
export async function openWorkspaceReader(
  dir: string,
  options: ReaderOptions = {},
): Promise<WorkspaceReader> {
  const fs = options.fs ?? nodeFs();
  const clock = options.clock ?? (() => new Date());
  const warn = options.onWarning ?? (() => {});
  const present = await Promise.all(
    [META_FILE, LOG_FILE, SNAPSHOT_FILE].map((n) => fs.stat(`${dir}/${n}`)),
  );
  if (!present.some(Boolean)) {
    throw new LensletError(
      'not_found',
      `no Lenslet workspace at ${dir} (no ${LOG_FILE} or ${SNAPSHOT_FILE})`,
    );
  }
  if (!present[0] && (await looksOriginal(fs, dir))) {
    throw new LensletError(
      'not_found',
      `${dir} was written by the original Lenslet; open it once with "lenslet <folder>" to import its labels, then replay`,
    );
  }
  const consistent = <T>(read: () => Promise<T>) => consistentRead(fs, dir, read);
  // Each read runs whole again when a compaction moved files under it (consistent-read.ts).
  const once = (extra: Partial<Parameters<typeof recover>[0]>) =>
    recover({ fs, dir, now: clock(), warn, readOnly: true, ringSize: 0, ...extra });
  const run = (extra: Partial<Parameters<typeof recover>[0]>) => consistent(() => once(extra));
  const usableFor =
    (target: ReplayTarget) =>
    (header: SnapshotHeader): boolean =>
      (target.seq === undefined || header.seq <= target.seq) &&
      // Every record in a snapshot is older than the snapshot itself.
      (target.at === undefined || header.created_at <= target.at);
  return {
    dir,
    consistent,
    async stateAt(target = {}) {
      const recovered = await run({
        untilSeq: target.seq,
        untilAt: target.at,
        snapshotUsable: usableFor(target),
      });
      return recovered.state;
    },
    historyOf: (path, target = {}) =>
      consistent(async () => {
        const found: LabelRecord[] = [];
        await once({
          untilSeq: target.seq,
          untilAt: target.at,
          ignoreSnapshot: true,
          onBatch: ({ records }) => {
            for (const record of records) if (record.path === path) found.push(record);
          },
        });
        return found;
      }),
    foldAll: (onBatch, target = {}) =>
      run({ ignoreSnapshot: true, onBatch, untilSeq: target.seq, untilAt: target.at }),
    recoverAsServer: (untilSeq) => run({ untilSeq, snapshotUsable: usableFor({ seq: untilSeq }) }),
  };
}

async function looksOriginal(fs: FsPort, dir: string): Promise<boolean> {
  const data = await fs.readFile(`${dir}/${LOG_FILE}`);
  const first = data && Buffer.from(data.subarray(0, 4096)).toString('utf8').split('\n')[0];
  if (first?.startsWith('{"id":')) return true;
  const snapshot = await fs.readFile(`${dir}/${SNAPSHOT_FILE}`);
  return (
    snapshot !== null &&
    /^\{\s*"items"|"last_event_id"/.test(Buffer.from(snapshot.subarray(0, 4096)).toString('utf8'))
  );
}
