/**
 * Compaction step 1: under the write lock, fdatasync the live log, rename it to
 * `labels.<from>-<to>.jsonl`, create a new live log (its header frame only, synced) and fsync the
 * directory. Writes wait
 * only for this step.
 */
import { writeFileHeader } from '../log/group-frame.ts';
import type { OpenLog } from '../log/open-log.ts';
import { LOG_FILE, segmentName } from '../workspace/layout.ts';
import type { ImmutableFile } from '../workspace/workspace-scan.ts';

/** Rotate the live log into a segment. Resolves the segment and the stall, or null when empty. */
export async function rotate(
  log: OpenLog,
): Promise<{ segment: ImmutableFile; stallMs: number } | null> {
  const { fs, dir } = log;
  return log.writer.exclusive(async ({ sync }) => {
    const started = performance.now();
    const live = log.live;
    if (live.to < live.from) return null;
    await sync();
    const name = segmentName(live.from, live.to);
    log.epoch += 1;
    log.moving = true;
    let start = 0;
    await fs.rename(`${dir}/${LOG_FILE}`, `${dir}/${name}`);
    try {
      const handle = await fs.open(`${dir}/${LOG_FILE}`, 'wx');
      try {
        start = await writeFileHeader(handle);
        // One directory holds both names, so this one fsync makes the rotation atomic.
        await fs.syncDir(dir);
      } catch (error) {
        await handle.close().catch(() => {});
        throw error;
      }
      await log.writer.swap(`${dir}/${LOG_FILE}`, handle, start);
    } catch (error) {
      // Put the log back so writes keep going to the file recovery will read.
      await fs.unlink(`${dir}/${LOG_FILE}`).catch(() => {});
      await fs.rename(`${dir}/${name}`, `${dir}/${LOG_FILE}`);
      await fs.syncDir(dir).catch(() => {});
      throw error;
    } finally {
      log.moving = false;
    }
    const segment: ImmutableFile = { kind: 'segment', name, from: live.from, to: live.to };
    log.history = [...log.history, segment];
    log.live = { kind: 'live', name: LOG_FILE, from: live.to + 1, to: live.to, bytes: start };
    log.epoch += 1;
    return { segment, stallMs: performance.now() - started };
  });
}
