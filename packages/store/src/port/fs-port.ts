/**
 * The filesystem port: the few operations the JSONL store needs, so a crash-simulating double
 * (`crash-fs.ts`) and fault injection (`faults.ts`) can stand in for the real disk (`node-fs.ts`).
 *
 * Durability rules every implementation follows (and the crash double enforces):
 * - file bytes are durable only after `datasync()`/`sync()` on a handle of that file;
 * - a create, rename or unlink is durable only after `syncDir()` of the directory holding the name;
 * - handles keep working after their file is renamed or unlinked (POSIX inode semantics).
 * Errors are thrown as `Error` objects with a node-style `code` (`ENOENT`, `EEXIST`, `ENOSPC`, `EIO`).
 */

/** How a file is opened. */
export type OpenMode =
  /** read only; ENOENT when missing */
  | 'r'
  /** read + write at explicit positions; ENOENT when missing */
  | 'r+'
  /** read + write; created when missing, kept when present */
  | 'a+'
  /** write; created or truncated */
  | 'w'
  /** write; created, EEXIST when present */
  | 'wx';

export type FileStat = {
  readonly size: number;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly mtimeMs: number;
};

/** An open file. Writes and reads always name their position; nothing relies on O_APPEND. */
export interface FsHandle {
  /** Write all of `data` at `position`. */
  write(data: Uint8Array, position: number): Promise<void>;
  /**
   * `write`, done before returning, on the calling thread (for the log's group commit: a copy
   * into the page cache, so a group and its fdatasync need no thread hop in between). Durable
   * only after `datasync()`, like `write`.
   */
  writeNow(data: Uint8Array, position: number): void;
  /** Read up to `length` bytes at `position` into `into` at `offset`; resolves the count read. */
  read(into: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Make the file's data durable (fdatasync). */
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface FsPort {
  open(path: string, mode: OpenMode, permissions?: number): Promise<FsHandle>;
  /** Whole file, or null when it does not exist. */
  readFile(path: string): Promise<Uint8Array | null>;
  /** File or directory facts, or null when the path does not exist. */
  stat(path: string): Promise<FileStat | null>;
  /** Names in a directory (no `.`/`..`); [] when the directory does not exist. */
  readdir(path: string): Promise<string[]>;
  /** Create one directory level; no error when it already exists. */
  mkdir(path: string): Promise<void>;
  /** Atomically replace `to` with `from`. */
  rename(from: string, to: string): Promise<void>;
  /** A second name for an existing file; EEXIST when `to` exists (atomic exclusive create). */
  link(existing: string, to: string): Promise<void>;
  /** Remove a file; no error when it is already gone. */
  unlink(path: string): Promise<void>;
  /** Make creates, renames and unlinks in `dir` durable (fsync of the directory). */
  syncDir(dir: string): Promise<void>;
}

/** A node-style error with a code, as every port throws. */
export function fsError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

/** The `code` of an error thrown by a port, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Write a whole file durably: temp name, write, datasync, rename over `path`, fsync the directory. */
export async function writeFileAtomic(
  fs: FsPort,
  dir: string,
  name: string,
  data: Uint8Array,
  permissions?: number,
): Promise<void> {
  const tmp = `${dir}/${name}.tmp`;
  const handle = await fs.open(tmp, 'w', permissions);
  try {
    await handle.write(data, 0);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, `${dir}/${name}`);
  await fs.syncDir(dir);
}

/**
 * Fill `buf` from the file at `position`, as many reads as it takes; fewer bytes (the count
 * returned) only where the file ends.
 */
export async function readFull(handle: FsHandle, buf: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const n = await handle.read(buf, got, buf.length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** Read `length` bytes of a file at `offset`. */
export async function readRange(
  fs: FsPort,
  path: string,
  offset: number,
  length: number,
): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    return buf.subarray(0, await readFull(handle, buf, offset));
  } finally {
    await handle.close();
  }
}
