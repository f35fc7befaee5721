/**
 * The single-writer lock `.lenslet/lock`: created exclusively (written and fdatasynced under a
 * temp name, then hard-linked into place, which fails when a lock exists), mode 0600, holding
 * `{format, pid, host, boot_id, start_time, created_at, url, admin_token}`. A lock whose holder
 * is provably gone (other boot, dead pid, or a reused pid with another start time) is taken over
 * with a warning; anything else refuses with `workspace_locked` naming pid, host and URL. The
 * server adds its URL and an admin token once it listens (`lenslet compact` uses them).
 */
import { LensletError } from '@lenslet/core';
import { errorCode, type FsPort } from '../port/fs-port.ts';
import { LOCK_FILE } from './layout.ts';
import type { ProcessIdentity, ProcessProbe } from './process-identity.ts';

export const LOCK_FORMAT = 'lenslet.lock.v1';
/** A lock file younger than this with no content may still be being written. */
const FRESH_LOCK_MS = 2000;

export type LockInfo = ProcessIdentity & {
  readonly format: string;
  readonly created_at: string;
  /** Base URL of the server holding the workspace, once it listens. */
  readonly url: string | null;
  /** Bearer token for the holder's local admin routes. */
  readonly admin_token: string | null;
};

export type LockState =
  | { kind: 'none' }
  | { kind: 'held'; info: LockInfo }
  | { kind: 'unreadable'; ageMs: number };

/** What the lock file says (read-only; used by `lenslet compact` to find a running server). */
export async function readLock(fs: FsPort, dir: string, nowMs = Date.now()): Promise<LockState> {
  const path = `${dir}/${LOCK_FILE}`;
  const data = await fs.readFile(path);
  if (!data) return { kind: 'none' };
  try {
    const info = JSON.parse(Buffer.from(data).toString('utf8')) as LockInfo;
    if (info.format === LOCK_FORMAT && Number.isSafeInteger(info.pid))
      return { kind: 'held', info };
  } catch {}
  const stat = await fs.stat(path);
  return { kind: 'unreadable', ageMs: nowMs - (stat?.mtimeMs ?? 0) };
}

/** The error a second writer gets. */
export function lockedError(info: LockInfo, dir: string): LensletError {
  const where = info.url ? `, serving ${info.url}` : '';
  return new LensletError(
    'workspace_locked',
    `the workspace is in use by another Lenslet (pid ${info.pid} on ${info.host}${where}). ` +
      `Stop that process first; if it is gone for good, delete ${dir}/${LOCK_FILE}.`,
    { details: { pid: info.pid, host: info.host, url: info.url } },
  );
}

export class WorkspaceLock {
  readonly #fs: FsPort;
  readonly #dir: string;
  #info: LockInfo;
  #released = false;

  private constructor(fs: FsPort, dir: string, info: LockInfo) {
    this.#fs = fs;
    this.#dir = dir;
    this.#info = info;
  }

  get info(): LockInfo {
    return this.#info;
  }

  /** Take the lock, or throw `workspace_locked`. */
  static async acquire(
    fs: FsPort,
    dir: string,
    probe: ProcessProbe,
    now: Date,
    warn: (message: string) => void,
  ): Promise<WorkspaceLock> {
    const info: LockInfo = {
      format: LOCK_FORMAT,
      ...probe.self(),
      created_at: now.toISOString(),
      url: null,
      admin_token: null,
    };
    const path = `${dir}/${LOCK_FILE}`;
    // The lock appears with its content in one step: written and synced under a temp name, then
    // hard-linked into place (link fails if the lock exists — an exclusive create).
    const tmp = `${path}.${info.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    const handle = await fs.open(tmp, 'wx', 0o600);
    try {
      await handle.write(Buffer.from(`${JSON.stringify(info)}\n`), 0);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await fs.link(tmp, path);
          await fs.syncDir(dir);
          return new WorkspaceLock(fs, dir, info);
        } catch (error) {
          if (errorCode(error) !== 'EEXIST') throw error;
        }
        await WorkspaceLock.#clearStale(fs, dir, probe, warn, attempt);
      }
    } finally {
      await fs.unlink(tmp);
    }
    throw new LensletError(
      'workspace_locked',
      `could not take ${path}: other processes keep taking it`,
    );
  }

  /** Move a provably stale lock aside (or throw `workspace_locked` for a live holder). */
  static async #clearStale(
    fs: FsPort,
    dir: string,
    probe: ProcessProbe,
    warn: (message: string) => void,
    attempt: number,
  ): Promise<void> {
    const path = `${dir}/${LOCK_FILE}`;
    for (;;) {
      const state = await readLock(fs, dir, Date.now());
      if (state.kind === 'none') return;
      if (state.kind === 'unreadable') {
        // Only a damaged file can be unreadable (locks appear complete); give a writer of the
        // old, non-atomic kind a moment before calling it stale.
        if (state.ageMs < FRESH_LOCK_MS) {
          await new Promise((resolve) => setTimeout(resolve, FRESH_LOCK_MS / 4));
          continue;
        }
        warn(`${path} was unreadable (left by a crash?); taking the workspace over`);
      } else {
        const holder = state.info;
        if (probe.liveness(holder) !== 'dead') throw lockedError(holder, dir);
        warn(
          `taking over the workspace lock of pid ${holder.pid} on ${holder.host}, which is no longer running`,
        );
      }
      // Move the stale lock aside (only one contender's rename succeeds).
      const aside = `${path}.stale-${process.pid}-${attempt}`;
      try {
        await fs.rename(path, aside);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return;
        throw error;
      }
      await fs.unlink(aside);
      await fs.syncDir(dir);
      return;
    }
  }

  /** Record the holder's URL and admin token (rewritten atomically, mode 0600). */
  async update(extra: { url: string | null; admin_token: string | null }): Promise<void> {
    const info: LockInfo = { ...this.#info, ...extra };
    const path = `${this.#dir}/${LOCK_FILE}`;
    const tmp = `${path}.${process.pid}.tmp`;
    const handle = await this.#fs.open(tmp, 'w', 0o600);
    try {
      await handle.write(Buffer.from(`${JSON.stringify(info)}\n`), 0);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await this.#fs.rename(tmp, path);
    await this.#fs.syncDir(this.#dir);
    this.#info = info;
  }

  /** Remove the lock if it is still ours. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    const state = await readLock(this.#fs, this.#dir);
    if (
      state.kind === 'held' &&
      state.info.pid === this.#info.pid &&
      state.info.start_time === this.#info.start_time &&
      state.info.created_at === this.#info.created_at
    ) {
      await this.#fs.unlink(`${this.#dir}/${LOCK_FILE}`);
      await this.#fs.syncDir(this.#dir);
    }
  }
}
