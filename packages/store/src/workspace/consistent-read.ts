/**
 * Reading a workspace that a server is compacting (`lenslet replay`, `--verify`): a compaction
 * renames the live log into a segment, archives it, and deletes the segment — a read that listed
 * the files before may open one that is gone (ENOENT), or find the live log restarted. Records
 * never change under their seq, so a read is consistent when the set of log files did not change
 * while it ran; otherwise it is run again on the files as they are now (the archived copy), a few
 * times, with a short pause. A failure that remains is a one-line LensletError, never a raw
 * filesystem error.
 */
import { isLensletError, LensletError } from '@lenslet/core';
import { errorCode, type FsPort } from '../port/fs-port.ts';
import { ARCHIVE_DIR, LOG_FILE, parseRangeName } from './layout.ts';

/** Attempts before giving up on a workspace that keeps changing. */
const ATTEMPTS = 6;
const PAUSE_MS = 100;

/** The log files of the workspace now: segments, archives and indexes, the live log. */
async function logFiles(fs: FsPort, dir: string): Promise<string> {
  const names = (await fs.readdir(dir)).filter(
    (n) => n === LOG_FILE || parseRangeName(n)?.kind === 'jsonl',
  );
  const archived = (await fs.readdir(`${dir}/${ARCHIVE_DIR}`)).filter(
    (n) => parseRangeName(n) !== null,
  );
  return [...names.sort(), ...archived.sort().map((n) => `${ARCHIVE_DIR}/${n}`)].join('\n');
}

/** Run `read` until it ran while the workspace's log files stayed the same. */
export async function consistentRead<T>(
  fs: FsPort,
  dir: string,
  read: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const before = await logFiles(fs, dir);
    let result: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      result = { ok: true, value: await read() };
    } catch (error) {
      result = { ok: false, error };
    }
    const after = await logFiles(fs, dir);
    if (before === after) {
      if (result.ok) return result.value;
      throw asLensletError(result.error, dir);
    }
    if (attempt >= ATTEMPTS) {
      throw new LensletError(
        'compaction_in_progress',
        `the log files in ${dir} kept changing while they were read (${ATTEMPTS} times: a compaction is running); try again in a moment`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS * attempt));
  }
}

/** A filesystem error as one line (the CLI prints it; no stack trace). */
function asLensletError(error: unknown, dir: string): unknown {
  if (isLensletError(error)) return error;
  const code = errorCode(error);
  if (code === undefined) return error;
  return new LensletError(
    code === 'ENOENT' ? 'not_found' : 'internal',
    `cannot read the workspace ${dir}: ${(error as Error).message}`,
    { cause: error },
  );
}
