/**
 * `labels.log.idx`: the history index of the live log, saved at a clean close so the next open
 * need not scan the log again. Derived data: used only when it matches the live log (its first
 * seq, and the line at its last offset holds its last seq), rebuilt by a scan otherwise.
 */
import { decodeLineBytes } from '../log/jsonl-codec.ts';
import type { OpenLog } from '../log/open-log.ts';
import { readRange } from '../port/fs-port.ts';
import { LOG_FILE, LOG_INDEX_FILE } from '../workspace/layout.ts';
import { decodeIndexFile, encodeIndexFile, type IndexFile } from './index-file.ts';

/** The saved index when it matches the live log, else null. */
export async function loadLiveIndex(log: OpenLog): Promise<IndexFile | null> {
  const data = await log.fs.readFile(`${log.dir}/${LOG_INDEX_FILE}`);
  const saved = data && decodeIndexFile(data);
  if (!saved || saved.from !== log.live.from || saved.to < saved.from) return null;
  if (saved.covered_bytes > log.live.bytes) return null;
  const lastOffset = saved.offsets[saved.offsets.length - 1]!;
  const head = await readRange(log.fs, `${log.dir}/${LOG_FILE}`, lastOffset, 64 * 1024);
  const nl = head.indexOf(0x0a);
  const decoded = nl > 0 ? decodeLineBytes(head, 0, nl, 0) : null;
  return decoded?.ok && decoded.record.seq === saved.to ? saved : null;
}

/** Save the live log's history index (best effort, at clean close). */
export async function saveLiveIndex(log: OpenLog): Promise<void> {
  const live = log.live;
  if (live.to < live.from || !log.index.covers(live.from, live.to)) return;
  const { offsets, hashes } = log.index.slice(live.from, live.to);
  const data = encodeIndexFile({
    from: live.from,
    to: live.to,
    covered_bytes: live.bytes,
    blocks: [],
    offsets,
    hashes,
  });
  const tmp = `${log.dir}/${LOG_INDEX_FILE}.tmp`;
  const handle = await log.fs.open(tmp, 'w');
  try {
    await handle.write(data, 0);
  } finally {
    await handle.close();
  }
  await log.fs.rename(tmp, `${log.dir}/${LOG_INDEX_FILE}`);
}
