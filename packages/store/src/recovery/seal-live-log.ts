/**
 * The last step of recovering the live log, before any group is appended to it: make sure its
 * own bytes say it is written in framed groups (log/group-frame.ts), so the torn-tail rule can
 * use them after the next power cut.
 * - A new or empty live log gets its header frame.
 * - A live log without any frame (written before frames existed: upcast) gets an empty frame at
 *   its end that vouches for every byte before it, synced before the first new group — so damage
 *   to those records is refused, and a torn first group is known to be an interrupted write.
 */
import { encodeFrame, writeFileHeader } from '../log/group-frame.ts';
import type { FsPort } from '../port/fs-port.ts';
import { LOG_FILE } from '../workspace/layout.ts';
import { framesBefore } from './frames-before.ts';

/** Make the live log (its first `bytes` bytes recovered) framed; resolves its new length. */
export async function sealLiveLog(
  fs: FsPort,
  dir: string,
  bytes: number,
  /** An intact frame was read in the part recovery kept (null: not known). */
  framed: boolean | null,
): Promise<number> {
  const path = `${dir}/${LOG_FILE}`;
  if (bytes === 0) {
    const created = !(await fs.stat(path));
    const handle = await fs.open(path, 'a+');
    try {
      bytes = await writeFileHeader(handle);
    } finally {
      await handle.close();
    }
    if (created) await fs.syncDir(dir);
    return bytes;
  }
  if (framed ?? (await framesBefore(fs, path, bytes))) return bytes;
  const frame = Buffer.from(`${encodeFrame(0, bytes)}\n`, 'latin1');
  const handle = await fs.open(path, 'r+');
  try {
    await handle.write(frame, bytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return bytes + frame.length;
}
