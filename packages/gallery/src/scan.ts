/**
 * The recursive walk of one root: our own walk (one `readdir` per folder) with raw (Buffer) names, so that
 * invalid UTF-8 is detected. Rules (see docs/gallery.md):
 * - names starting with `.` or `_` are skipped silently, files without an image extension too;
 * - invalid names (bad UTF-8, control characters, `\`) are skipped and counted;
 * - two names of one folder equal after NFC: the one already in NFC (else the first in byte order)
 *   wins, the other is skipped and counted;
 * - a symlink is followed only when its target stays inside the root (else counted); a linked
 *   folder that is one of its own ancestors (a loop) or was already entered through another link
 *   is not entered again;
 * - size and dates come from `stat`; width/height and the embedded prompt from the header, unless
 *   `known` has the same path with the same size and mtime (dimension cache, or the index itself
 *   on a rescan).
 */
import type { Dirent } from 'node:fs';
import { readdirSync, type Stats, stat as statCallback, statSync } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { type CanonicalPath, joinPath, MAX_PATH_LENGTH } from '@lenslet/core';
import { type FileStat, formatOf, makeEntry, sameFile } from './entry.ts';
import { hasImageExtension } from './formats.ts';
import type { ImageEntry, SkippedCounts } from './gallery.ts';
import { checkName, displayName } from './names.ts';
import { forEachLimit } from './pool.ts';
import { readDimensions, readDimensionsSync } from './read-dimensions.ts';

export type SkipKind = keyof SkippedCounts;

/** A root as the walk sees it: `real` is the realpath of `dir`, the boundary for symlinks. */
export type ScanRoot = {
  readonly prefix: CanonicalPath;
  readonly dir: string;
  readonly real: string;
};

/** What a previous run knew about a path (dimension cache record or indexed entry). */
export type KnownImage = Pick<ImageEntry, 'size' | 'mtime_ms' | 'mime' | 'width' | 'height'> & {
  readonly prompt?: string | null;
};

export type ScanSink = {
  folder(path: CanonicalPath, diskName: string | null, abs: string, real: string): void;
  image(entry: ImageEntry, diskName: string | null, abs: string): void;
  skip(kind: SkipKind, abs: string): void;
  known(path: CanonicalPath): KnownImage | undefined;
};

export type ScanOptions = {
  readonly root: ScanRoot;
  readonly sink: ScanSink;
  /** Files statted/read at once (the initial scan goes wide; rescans while serving stay narrow). */
  readonly concurrency: number;
  /**
   * Stat and read headers with blocking calls. Only for the first scan of a local folder, when
   * nothing is served yet: on a busy 2-core machine a blocking stat costs a fifth of a thread-pool
   * round trip. The walk still yields to the event loop between folders.
   */
  readonly sync?: boolean;
  readonly cancelled?: () => boolean;
};

type Candidate = {
  readonly name: string;
  readonly nfc: string;
  readonly abs: string;
  kind: 'file' | 'dir' | 'link' | 'other';
  real?: string;
};

function isInside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith('/') ? root : `${root}/`);
}

function toFileStat(s: { size: number; mtimeMs: number; birthtimeMs: number }): FileStat {
  return { size: s.size, mtime_ms: s.mtimeMs, birth_ms: s.birthtimeMs };
}

/** Walk a whole root: the root folder itself is reported first. */
export async function scanRoot(options: ScanOptions): Promise<void> {
  const { root } = options;
  options.sink.folder(root.prefix, null, root.dir, root.real);
  await scanFolder(options, root.dir, root.real, root.prefix, [root.real], new Set());
}

/**
 * Walk the folder at `abs` (realpath `real`, index path `path`). `chain` holds the realpaths of
 * the folders being walked above it; `linked` the realpaths already entered through a symlink.
 */
export async function scanFolder(
  options: ScanOptions,
  abs: string,
  real: string,
  path: CanonicalPath,
  chain: readonly string[],
  linked: Set<string>,
): Promise<void> {
  const { sink, root } = options;
  if (options.cancelled?.()) return;
  if (options.sync) await new Promise((r) => setImmediate(r));
  let entries: Dirent<Buffer>[];
  try {
    entries = options.sync ? readEntriesSync(abs) : await readEntries(abs);
  } catch (error) {
    if (path === root.prefix) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') sink.skip('unreadable', abs);
    return;
  }
  const byNfc = new Map<string, Candidate>();
  for (const dirent of entries) {
    const check = checkName(dirent.name);
    if (check.kind === 'hidden') continue;
    const kind = dirent.isDirectory()
      ? 'dir'
      : dirent.isFile()
        ? 'file'
        : dirent.isSymbolicLink()
          ? 'link'
          : 'other';
    if (check.kind === 'invalid') {
      if (kind === 'dir' || hasImageExtension(displayName(dirent.name))) {
        sink.skip('invalid_name', join(abs, displayName(dirent.name)));
      }
      continue;
    }
    if (kind === 'file' && !hasImageExtension(check.name)) continue;
    const candidate: Candidate = {
      name: check.name,
      nfc: check.nfc,
      abs: abs === '/' ? `/${check.name}` : `${abs}/${check.name}`,
      kind,
    };
    const other = byNfc.get(check.nfc);
    if (other === undefined) {
      byNfc.set(check.nfc, candidate);
      continue;
    }
    // Keep the name that is already NFC, else the first in byte order; count the other.
    const keepNew =
      (candidate.name === candidate.nfc && other.name !== other.nfc) ||
      (other.name !== other.nfc && candidate.name !== candidate.nfc && candidate.name < other.name);
    const loser = keepNew ? other : candidate;
    if (keepNew) byNfc.set(check.nfc, candidate);
    if (loser.kind === 'dir' || loser.kind === 'link' || hasImageExtension(loser.name)) {
      sink.skip('duplicate_normalized', loser.abs);
    }
  }
  const candidates = [...byNfc.values()];
  // Resolve what symlinks and unknown entry types are; drop links that leave the root.
  await forEachLimit(
    candidates.filter((c) => c.kind === 'link' || c.kind === 'other'),
    options.concurrency,
    async (c) => {
      try {
        if (c.kind === 'other') {
          const s = await lstat(c.abs);
          c.kind = s.isDirectory()
            ? 'dir'
            : s.isFile()
              ? 'file'
              : s.isSymbolicLink()
                ? 'link'
                : 'other';
          if (c.kind !== 'link') return;
        }
        const s = options.sync ? statSync(c.abs) : await statFile(c.abs);
        const kind = s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
        c.kind = 'other';
        if (kind === 'other' || (kind === 'file' && !hasImageExtension(c.name))) return;
        const target = await realpath(c.abs);
        if (!isInside(target, root.real)) {
          sink.skip('outside_root', c.abs);
          return;
        }
        c.kind = kind;
        c.real = target;
      } catch {
        if (hasImageExtension(c.name)) sink.skip('unreadable', c.abs);
        c.kind = 'other';
      }
    },
  );
  const files = candidates.filter((c) => c.kind === 'file' && hasImageExtension(c.name));
  await forEachLimit(files, options.concurrency, async (c) => {
    if (options.cancelled?.()) return;
    const imagePath = joinPath(path, c.nfc);
    if (imagePath.length > MAX_PATH_LENGTH) {
      sink.skip('invalid_name', c.abs);
      return;
    }
    const entry = await indexFile(c.abs, imagePath, sink.known(imagePath), options.sync);
    if (entry === null) sink.skip('unreadable', c.abs);
    else sink.image(entry, c.name === c.nfc ? null : c.name, c.abs);
  });
  for (const c of candidates) {
    if (c.kind !== 'dir' || options.cancelled?.()) continue;
    const sub = joinPath(path, c.nfc);
    if (sub.length > MAX_PATH_LENGTH) {
      sink.skip('invalid_name', c.abs);
      continue;
    }
    const subReal = c.real ?? join(real, c.name);
    if (chain.includes(subReal)) continue; // a link to an ancestor: a loop
    if (c.real !== undefined) {
      if (linked.has(subReal)) continue;
      linked.add(subReal);
    }
    sink.folder(sub, c.name === c.nfc ? null : c.name, c.abs, subReal);
    await scanFolder(options, c.abs, subReal, sub, [...chain, subReal], linked);
  }
}

/**
 * All entries of a folder with raw (Buffer) names and their types. One `readdir` per folder, run
 * on the thread pool: `opendir`'s async iterator costs a promise per entry (10× slower here).
 */
async function readEntries(abs: string): Promise<Dirent<Buffer>[]> {
  return (await readdir(abs, {
    withFileTypes: true,
    encoding: 'buffer',
  })) as unknown as Dirent<Buffer>[];
}

function readEntriesSync(abs: string): Dirent<Buffer>[] {
  return readdirSync(abs, {
    withFileTypes: true,
    encoding: 'buffer',
  }) as unknown as Dirent<Buffer>[];
}

/** `stat` through the callback API: the promise API costs about 50% more per call. */
function statFile(abs: string): Promise<Stats> {
  return new Promise((resolve, reject) => {
    statCallback(abs, (error, stats) => (error ? reject(error) : resolve(stats)));
  });
}

/**
 * The entry for one file, reusing `known` dimensions when size and mtime match; null when the
 * file is not a supported image (or cannot be read, or vanished).
 */
export async function indexFile(
  abs: string,
  path: CanonicalPath,
  known: KnownImage | undefined,
  sync = false,
): Promise<ImageEntry | null> {
  let fileStat: FileStat;
  try {
    const s = sync ? statSync(abs) : await statFile(abs);
    if (!s.isFile()) return null;
    fileStat = toFileStat(s);
  } catch {
    return null;
  }
  if (known !== undefined && sameFile(known, fileStat)) {
    const size =
      known.width !== null && known.height !== null
        ? { width: known.width, height: known.height }
        : null;
    return makeEntry(path, fileStat, formatOf(known), size, known.prompt ?? null);
  }
  try {
    const info = sync ? readDimensionsSync(abs) : await readDimensions(abs);
    return info === null ? null : makeEntry(path, fileStat, info.format, info.size, info.prompt);
  } catch {
    return null;
  }
}
