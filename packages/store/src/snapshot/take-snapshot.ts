/**
 * Taking a snapshot of an open log at its durable head: the previous snapshot plus the records
 * after it are folded by the background runner (`snapshot-build.ts`) into a temp file, which is
 * then renamed into place and the directory fsynced. A failed build leaves no temp file behind.
 */
import { fromWorker } from '../background/runner.ts';
import { allFiles, type OpenLog } from '../log/open-log.ts';
import { SNAPSHOT_FILE } from '../workspace/layout.ts';
import type { SnapshotSource } from './snapshot-build.ts';
import { SNAPSHOT_FORMAT, type SnapshotHeader } from './snapshot-codec.ts';

/** Take a snapshot at the durable head (no-op when the snapshot is already there). */
export async function takeSnapshot(log: OpenLog): Promise<SnapshotHeader | null> {
  let seq = log.head();
  let ackOffset = log.live.bytes;
  if (log.durability === 'relaxed') {
    await log.writer.exclusive(async ({ sync }) => {
      seq = log.head();
      ackOffset = log.live.bytes;
      await sync();
    });
  }
  const baseSeq = log.snapshot?.seq ?? log.origin;
  if (seq <= baseSeq) return null;
  const sources: SnapshotSource[] = [];
  for (const file of allFiles(log)) {
    if (file.to < baseSeq + 1 || file.from > seq) continue;
    const inside = baseSeq + 1 > file.from ? log.index.offsetOf(baseSeq + 1) : null;
    const end = file.kind === 'live' ? ackOffset : Number.MAX_SAFE_INTEGER;
    sources.push({ file: { ...file }, start: inside ?? 0, end });
  }
  const now = log.clock();
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    log_id: log.log_id,
    seq,
    log_offset: seq >= log.live.from ? ackOffset : 0,
    created_at: now.toISOString(),
  };
  const out = `${SNAPSHOT_FILE}.tmp`;
  try {
    await log.runner.run('snapshot', {
      dir: log.dir,
      base: log.snapshot ? { name: SNAPSHOT_FILE, seq: baseSeq } : null,
      origin: log.origin,
      sources: sources.map((s) => ({ ...s, end: Math.min(s.end, Number.MAX_SAFE_INTEGER) })),
      seq,
      log_offset: header.log_offset,
      log_id: log.log_id,
      created_at: header.created_at,
      now_ms: now.getTime(),
      out,
    });
  } catch (error) {
    await log.fs.unlink(`${log.dir}/${out}`).catch(() => {});
    throw fromWorker(error);
  }
  await log.fs.rename(`${log.dir}/${out}`, `${log.dir}/${SNAPSHOT_FILE}`);
  await log.fs.syncDir(log.dir);
  log.snapshot = header;
  return header;
}
