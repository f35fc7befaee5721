/**
 * The torn-tail rule (docs/format.md, "Recovery"; decided by log/tail-verdict.ts): the bytes of an
 * interrupted, never-acknowledged write at the end of the live log are copied into quarantine/
 * (durably) before the log is cut back to the end of its last whole group, with a warning; a
 * read-only open only reports them. What was cut is kept for the store's status (`/health`, the
 * start-up banner).
 */
import type { TornTail } from '../log/log-records.ts';
import { readRange } from '../port/fs-port.ts';
import { LOG_FILE } from '../workspace/layout.ts';
import { quarantineBytes } from '../workspace/quarantine.ts';
import type { RecoveryContext } from './context.ts';

/** What recovery cut from the live log. */
export type TornReport = {
  readonly file: string;
  readonly offset: number;
  readonly bytes: number;
  /** Whole records in the cut bytes: never acknowledged, so never applied. */
  readonly records: number;
  /** Workspace-relative name of the saved bytes (null when read-only: nothing was cut). */
  readonly quarantine: string | null;
  /** The warning, one sentence. */
  readonly message: string;
};

/** Save the live log's bytes after `torn.offset` to quarantine/, then cut them off. */
export async function cutTornTail(
  context: RecoveryContext,
  size: number,
  torn: TornTail,
): Promise<TornReport> {
  const { fs, dir, warn } = context;
  const length = size - torn.offset;
  const what = `${LOG_FILE} ends with ${length} bytes of an interrupted write at line ${torn.lineNo} (${torn.reason})`;
  const report = { file: LOG_FILE, offset: torn.offset, bytes: length, records: torn.records };
  if (context.readOnly) {
    // A read-only reader may also be looking at a group a running server is writing right now.
    const message = `${what}; ignoring them (a write still in progress, if a server is running; otherwise the server cuts them off when it next opens the workspace)`;
    warn(message);
    return { ...report, quarantine: null, message };
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
  const message = `${what}; cut them off and saved them to ${saved}`;
  warn(message);
  return { ...report, quarantine: saved, message };
}
