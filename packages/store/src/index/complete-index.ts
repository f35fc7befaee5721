/**
 * Completing the history index after an open: recovery indexes only the tail it folds (the
 * records after the snapshot); the seqs below it come from archive index files, the saved index
 * of the live log, and background scans for what neither covers. Runs as the store's first
 * maintenance job, so no file is renamed or deleted under it.
 */
import { rebuildArchiveIndex } from '../compaction/archive-segments.ts';
import { readArchiveIndex } from '../log/log-source.ts';
import type { LiveFile, OpenLog } from '../log/open-log.ts';
import type { ImmutableFile } from '../workspace/workspace-scan.ts';
import { loadLiveIndex } from './live-index.ts';

/** Fill the history index for seqs below `tailFrom`. */
export async function completeIndex(log: OpenLog, tailFrom: number): Promise<void> {
  const { fs, dir, index } = log;
  for (const file of log.history) {
    if (file.from >= tailFrom || index.covers(file.from, Math.min(file.to, tailFrom - 1))) continue;
    if (file.kind === 'archive') {
      const loaded =
        (await readArchiveIndex(fs, dir, file)) ?? (await rebuildArchiveIndex(log, file));
      index.load(file.from, loaded.offsets, loaded.hashes);
      log.reader.rememberIndex(file.name, loaded);
      continue;
    }
    await scanInto(log, file, file.from, 0, file.to);
  }
  const live = log.live;
  const last = Math.min(tailFrom - 1, live.to);
  if (last < live.from || index.covers(live.from, last)) return;
  let from = live.from;
  let start = 0;
  const saved = await loadLiveIndex(log);
  if (saved && saved.to >= live.from) {
    const upto = Math.min(saved.to, last);
    index.load(
      live.from,
      saved.offsets.subarray(0, upto - live.from + 1),
      saved.hashes.subarray(0, upto - live.from + 1),
    );
    from = upto + 1;
    start = upto === saved.to ? saved.covered_bytes : (index.offsetOf(from) ?? 0);
  }
  if (from <= last) await scanInto(log, live, from, start, last);
}

/** Index seqs from..to of `file` by reading its lines (in the background runner). */
async function scanInto(
  log: OpenLog,
  file: ImmutableFile | LiveFile,
  from: number,
  start: number,
  to: number,
) {
  const result = await log.runner.run('scan', {
    dir: log.dir,
    file: { ...file },
    from_seq: from,
    start: from === file.from ? 0 : start,
    to_seq: to,
  });
  log.index.load(result.from_seq, result.offsets, result.hashes);
}
