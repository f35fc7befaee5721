/**
 * Keeps one root's part of the index current while serving, in one of three modes:
 * - native: one OS watch per directory (dir-watcher.ts); each event names an entry, which is
 *   statted and applied (image added/changed/removed, folder scanned/removed);
 * - poll: a periodic rescan of the whole root, diffed against the index — used when asked, when
 *   the root is on a network/FUSE filesystem, or when the OS watch limit is hit;
 * - off: the index stays as the first scan left it.
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type CanonicalPath, isWithin, joinPath, MAX_PATH_LENGTH, parentPath } from '@lenslet/core';
import type { DirWatcher, DirWatcherFactory } from './dir-watcher.ts';
import { hasImageExtension } from './formats.ts';
import type { WatchMode } from './gallery.ts';
import type { FolderLocation, IndexState } from './index-state.ts';
import { filesystemType, needsPolling } from './mounts.ts';
import { checkNameString } from './names.ts';
import { forEachLimit } from './pool.ts';
import { indexFile, type ScanRoot, scanFolder, scanRoot } from './scan.ts';
import { SkipBook } from './skip-book.ts';

/** Events for one entry are gathered this long before it is statted (a write makes many). */
const EVENT_SETTLE_MS = 50;
/** Files statted at once while serving: leaves libuv threads for the label log's fsyncs. */
const LIVE_CONCURRENCY = 4;
const LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

export type LiveRootOptions = {
  readonly requested: WatchMode;
  readonly poll_interval_ms: number;
  readonly watcher: DirWatcherFactory;
  readonly mounts_file?: string;
};

export class LiveRoot {
  mode: WatchMode = 'off';
  reason: string | null = null;
  private watcher: DirWatcher | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private queue = new Map<string, { dir: string; name: string | null }>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private working: Promise<void> = Promise.resolve();
  private closed = false;
  private lastScanMs = 0;

  constructor(
    private readonly state: IndexState,
    readonly root: ScanRoot,
    private readonly index: number,
    private readonly options: LiveRootOptions,
  ) {}

  /** Start watching in the requested mode (or the fallback it needs). */
  async start(): Promise<void> {
    const { requested } = this.options;
    if (requested === 'off') return;
    if (requested === 'poll') return this.startPolling(null);
    const fsType = await filesystemType(this.root.real, this.options.mounts_file);
    if (fsType !== null && needsPolling(fsType)) {
      return this.startPolling(
        `${this.root.dir} is on a ${fsType} filesystem, which does not report changes reliably`,
      );
    }
    this.mode = 'native';
    this.watcher = this.options.watcher({
      change: (dir, name) => this.enqueue(dir, name),
      error: (error) => this.onWatchError(error),
    });
    for (const location of this.state.locations.values()) {
      if (location.root === this.index) this.watcher.add(location.abs);
    }
    await Promise.race([this.watcher.ready(), new Promise((r) => setTimeout(r, 60_000).unref())]);
  }

  /** A folder appeared in the index: watch it (native mode). */
  watchDir(location: FolderLocation): void {
    this.watcher?.add(location.abs);
  }

  unwatchDir(location: FolderLocation): void {
    this.watcher?.remove(location.abs);
  }

  /** Wait until queued events and a running rescan are applied (tests, shutdown). */
  async settle(): Promise<void> {
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
      this.flush();
    }
    await this.working;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    await this.watcher?.close();
    this.watcher = null;
    await this.working.catch(() => {});
  }

  private onWatchError(error: NodeJS.ErrnoException): void {
    if (this.mode !== 'native' || !LIMIT_CODES.has(error.code ?? '')) return;
    const limit =
      error.code === 'ENOSPC'
        ? 'the OS limit on watched folders was reached (raise fs.inotify.max_user_watches)'
        : `the OS limit on open files was reached (${error.code})`;
    const watcher = this.watcher;
    this.watcher = null;
    void watcher?.close();
    this.startPolling(`${limit} while watching ${this.root.dir}`, true);
  }

  private startPolling(reason: string | null, immediately = false): void {
    this.mode = 'poll';
    this.reason = reason;
    this.schedulePoll(immediately ? 0 : this.options.poll_interval_ms);
  }

  private schedulePoll(delay: number): void {
    if (this.closed) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      this.rescan().finally(() => {
        // A big tree is rescanned at most a quarter of the time.
        this.schedulePoll(Math.max(this.options.poll_interval_ms, this.lastScanMs * 3));
      });
    }, delay);
    this.pollTimer.unref();
  }

  /** Serialize work on this root: events and rescans never interleave. */
  private run(task: () => Promise<void>): Promise<void> {
    const next = this.working.then(task, task).catch(() => {});
    this.working = next;
    return next;
  }

  /** Rescan the whole root (after queued work) and make the index match it. */
  rescan(): Promise<void> {
    return this.run(() => this.rescanNow());
  }

  private async rescanNow(): Promise<void> {
    if (this.closed) return;
    const started = Date.now();
    const { state, root } = this;
    const seen = { images: new Set<CanonicalPath>(), folders: new Set<CanonicalPath>() };
    const skips = new SkipBook();
    const sink = state.sink(this.index, true, (p) => state.tree.get(p), skips, seen);
    try {
      await scanRoot({ root, sink, concurrency: LIVE_CONCURRENCY, cancelled: () => this.closed });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.reason = `rescan of ${root.dir} failed: ${(error as Error).message}`;
        return;
      }
      // The root folder itself is gone: everything in it is too.
    }
    if (this.closed) return;
    for (const folder of state.tree.folderPaths()) {
      if (
        isWithin(root.prefix, folder) &&
        !seen.folders.has(folder) &&
        state.tree.hasFolder(folder)
      ) {
        state.removeFolder(folder, true);
      }
    }
    const gone = [...state.tree.items(root.prefix, true)].filter((e) => !seen.images.has(e.path));
    for (const entry of gone) state.removeImage(entry.path, true);
    state.skips.replaceUnder(root.dir, skips);
    this.lastScanMs = Date.now() - started;
  }

  private enqueue(dir: string, name: string | null): void {
    if (this.closed) return;
    this.queue.set(`${dir}\u0000${name ?? ''}`, { dir, name });
    if (this.flushTimer === null) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, EVENT_SETTLE_MS);
      this.flushTimer.unref();
    }
  }

  private flush(): void {
    const batch = [...this.queue.values()];
    this.queue.clear();
    if (batch.length === 0) return;
    void this.run(async () => {
      if (batch.some((e) => e.name === null)) return this.rescanNow();
      await forEachLimit(batch, LIVE_CONCURRENCY, (e) => this.reconcile(e.dir, e.name!));
    });
  }

  /** Make the index match what is now at `dir/name`. */
  private async reconcile(dir: string, name: string): Promise<void> {
    const { state } = this;
    const folderPath = state.byAbs.get(dir);
    if (folderPath === undefined || this.closed) return;
    const abs = join(dir, name);
    const check = checkNameString(name);
    if (check.kind === 'hidden') return;
    let stats: Awaited<ReturnType<typeof lstat>> | null = null;
    try {
      stats = await lstat(abs);
    } catch {
      stats = null;
    }
    if (check.kind === 'invalid') {
      if (stats !== null && (stats.isDirectory() || hasImageExtension(name)))
        state.skips.add('invalid_name', abs);
      else state.skips.forget(abs);
      return;
    }
    const path = joinPath(folderPath, check.nfc);
    const indexedDisk = state.tree.get(path)
      ? (state.tree.diskName(path) ?? check.nfc)
      : state.locations.has(path)
        ? state.locations.get(path)!.abs.slice(dir.length + 1)
        : null;
    // Another spelling of the same NFC name is indexed and still there: this one is a duplicate.
    if (indexedDisk !== null && indexedDisk !== name) {
      const otherExists = await lstat(join(dir, indexedDisk)).then(
        () => true,
        () => false,
      );
      if (otherExists) {
        if (stats !== null) state.skips.add('duplicate_normalized', abs);
        else state.skips.forget(abs);
        return;
      }
    }
    if (stats === null) {
      state.skips.forget(abs, true);
      if (state.locations.has(path)) state.removeFolder(path, true);
      else state.removeImage(path, true);
      await this.promoteDuplicate(dir, check.nfc);
      return;
    }
    if (path.length > MAX_PATH_LENGTH) return state.skips.add('invalid_name', abs);
    await this.applyExisting(
      abs,
      path,
      name,
      check.nfc,
      stats.isSymbolicLink(),
      stats.isDirectory(),
    );
  }

  private async applyExisting(
    abs: string,
    path: CanonicalPath,
    name: string,
    nfc: string,
    isLink: boolean,
    isDir: boolean,
  ): Promise<void> {
    const { state, root } = this;
    const diskName = name === nfc ? null : name;
    let real: string | undefined;
    let dir = isDir;
    if (isLink) {
      try {
        const s = await stat(abs);
        dir = s.isDirectory();
        if (!dir && !hasImageExtension(name)) return;
        real = await realpath(abs);
      } catch {
        if (hasImageExtension(name)) state.skips.add('unreadable', abs);
        return;
      }
      if (real !== root.real && !real.startsWith(`${root.real}/`)) {
        state.skips.add('outside_root', abs);
        if (state.locations.has(path)) state.removeFolder(path, true);
        else state.removeImage(path, true);
        return;
      }
    }
    if (dir) {
      if (state.locations.has(path)) return;
      const parent = state.locations.get(parentPath(path));
      const folderReal = real ?? join(parent?.real ?? root.real, name);
      const chain = this.realChain(path);
      if (chain.includes(folderReal)) return;
      const sink = state.sink(this.index, true, (p) => state.tree.get(p));
      sink.folder(path, diskName, abs, folderReal);
      await scanFolder(
        { root, sink, concurrency: LIVE_CONCURRENCY, cancelled: () => this.closed },
        abs,
        folderReal,
        path,
        [...chain, folderReal],
        new Set(),
      );
      // Files created between the folder's creation and its watch are caught by a second look.
      setTimeout(() => {
        if (!this.closed && state.locations.has(path)) {
          void this.run(() =>
            scanFolder(
              { root, sink, concurrency: LIVE_CONCURRENCY, cancelled: () => this.closed },
              abs,
              folderReal,
              path,
              [...chain, folderReal],
              new Set(),
            ),
          );
        }
      }, 1000).unref();
      return;
    }
    if (!hasImageExtension(name)) return;
    const entry = await indexFile(abs, path, state.tree.get(path));
    if (entry === null) {
      state.removeImage(path, true);
      state.skips.add('unreadable', abs);
      return;
    }
    state.skips.forget(abs);
    state.putImage(entry, diskName, true);
  }

  /** Realpaths of the folders from the root down to the parent of `path`. */
  private realChain(path: CanonicalPath): string[] {
    const chain: string[] = [];
    let p = path;
    while (p !== this.root.prefix && p !== '/') {
      p = parentPath(p);
      const location = this.state.locations.get(p);
      if (location !== undefined) chain.unshift(location.real);
    }
    return chain;
  }

  /** After an indexed name vanished, a skipped other spelling of it may take its place. */
  private async promoteDuplicate(dir: string, nfc: string): Promise<void> {
    for (const other of this.state.skips.paths('duplicate_normalized')) {
      const slash = other.lastIndexOf('/');
      if (other.slice(0, slash) === dir && other.slice(slash + 1).normalize('NFC') === nfc) {
        await this.reconcile(dir, other.slice(slash + 1));
        return;
      }
    }
  }
}
