/**
 * Native change notification for a set of directories: one watch per directory, never one per
 * file. chokidar is configured so that it really does that:
 * - `ignored` accepts only the directories we registered, so chokidar never adds a file (no
 *   per-file `fs.watch`) and never descends on its own;
 * - `depth: 0`, and every directory is added explicitly (the scan already knows them all);
 * - events come from chokidar's 'raw' stream — (directory, entry name) straight from the OS —
 *   and the caller stats the named entry itself;
 * - chokidar's own directory listing is switched off (`_readdirp` answers undefined, which its
 *   callers treat as "nothing to read"). chokidar lists and lstats every entry of every watched
 *   folder to keep a file list we never use: measured here on 100,000 files in 205 folders, 13.5 s
 *   and +382 MiB with the listing, 0.1 s and no measurable memory without it.
 */
import { resolve } from 'node:path';
import { FSWatcher } from 'chokidar';

export type DirWatchEvents = {
  /** Something happened to `name` inside `dir` (null: unknown entry, re-list `dir`). */
  change(dir: string, name: string | null): void;
  /** A watch could not be created or failed (ENOSPC/EMFILE when the OS limit is reached). */
  error(error: NodeJS.ErrnoException): void;
};

export interface DirWatcher {
  add(dir: string): void;
  remove(dir: string): void;
  /** Resolves once the directories added before the first `ready` are watched. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export type DirWatcherFactory = (events: DirWatchEvents) => DirWatcher;

/** The chokidar-backed watcher used in production. */
export const chokidarDirWatcher: DirWatcherFactory = (events) => {
  const dirs = new Set<string>();
  const watcher = new FSWatcher({
    ignored: (path: string) => !dirs.has(path),
    ignoreInitial: true,
    persistent: true,
    depth: 0,
  });
  watcher._readdirp = () => undefined;
  // chokidar emits 'ready' once: when everything added before it is watched.
  const firstReady = new Promise<void>((r) => watcher.once('ready', () => r()));
  watcher.on('raw', (_event, name: string | null, details) => {
    const dir = (details as { watchedPath?: string } | undefined)?.watchedPath;
    if (dir !== undefined && dirs.has(dir)) {
      events.change(dir, typeof name === 'string' && name !== '' ? name : null);
    }
  });
  watcher.on('error', (error: unknown) => events.error(error as NodeJS.ErrnoException));
  return {
    add(dir) {
      const abs = resolve(dir);
      if (dirs.has(abs)) return;
      dirs.add(abs);
      watcher.add(abs);
    },
    remove(dir) {
      const abs = resolve(dir);
      if (!dirs.delete(abs)) return;
      // Close the directory's watch without unwatch(), which would grow chokidar's ignore list
      // forever; our `ignored` already refuses the path.
      watcher._closePath(abs);
    },
    ready: () => firstReady,
    close: () => watcher.close(),
  };
};
