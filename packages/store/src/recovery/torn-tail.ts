/**
 * The torn-tail rule (docs/format.md, "Recovery"): bad bytes at the very end of the live log are
 * an interrupted write. They are copied into quarantine/ (durably) before the log is cut back to
 * its last good line, with a warning; a read-only open only reports them.
 */
import { readRange } from '../port/fs-port.ts';
import { LOG_FILE } from '../workspace/layout.ts';
import { quarantineBytes } from '../workspace/quarantine.ts';
import type { RecoveryContext } from './context.ts';

export type TornTail = {
  readonly offset: number;
  readonly lineNo: number;
  readonly reason: string;
};

/** Save the live log's bytes after `torn.offset` to quarantine/, then cut them off. */
export async function cutTornTail(
  context: RecoveryContext,
  size: number,
  torn: TornTail,
): Promise<void> {
  const { fs, dir, warn } = context;
  const length = size - torn.offset;
  const what = `${LOG_FILE} ends with ${length} bytes of an interrupted write at line ${torn.lineNo} (${torn.reason})`;
  if (context.readOnly) {
    warn(`${what}; ignoring them (the server cuts them off when it next opens the workspace)`);
    return;
  }
  const bytes = await readRange(fs, `${dir}/${LOG_FILE}`, torn.offset, length);
  const saved = await quarantineBytes(fs, dir, LOG_FILE, torn.offset, bytes, context.now);
  const handle = await fs.open(`${dir}/${LOG_FILE}`, 'r+');
  try {
    await handle.truncate(torn.offset);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  warn(`${what}; cut them off and saved them to ${saved}`);
}
