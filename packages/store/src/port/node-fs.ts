/** The filesystem port on the real disk (node:fs). */
import { constants, writeSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { errorCode, type FileStat, type FsHandle, type FsPort, type OpenMode } from './fs-port.ts';

const FLAGS: Record<OpenMode, number> = {
  r: constants.O_RDONLY,
  'r+': constants.O_RDWR,
  'a+': constants.O_RDWR | constants.O_CREAT,
  w: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC,
  wx: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
};

class NodeHandle implements FsHandle {
  readonly #file: fsp.FileHandle;
  constructor(file: fsp.FileHandle) {
    this.#file = file;
  }
  async write(data: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.#file.write(
        data,
        done,
        data.length - done,
        position + done,
      );
      done += bytesWritten;
    }
  }
  writeNow(data: Uint8Array, position: number): void {
    let done = 0;
    while (done < data.length) {
      done += writeSync(this.#file.fd, data, done, data.length - done, position + done);
    }
  }
  async read(into: Uint8Array, offset: number, length: number, position: number) {
    const { bytesRead } = await this.#file.read(into, offset, length, position);
    return bytesRead;
  }
  datasync() {
    return this.#file.datasync();
  }
  truncate(length: number) {
    return this.#file.truncate(length);
  }
  async size() {
    return (await this.#file.stat()).size;
  }
  close() {
    return this.#file.close();
  }
}

async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/** The real filesystem. */
export function nodeFs(): FsPort {
  return {
    async open(path, mode, permissions = 0o644) {
      return new NodeHandle(await fsp.open(path, FLAGS[mode], permissions));
    },
    readFile: (path) => orNull(fsp.readFile(path)),
    async stat(path): Promise<FileStat | null> {
      const s = await orNull(fsp.stat(path));
      return (
        s && { size: s.size, isFile: s.isFile(), isDirectory: s.isDirectory(), mtimeMs: s.mtimeMs }
      );
    },
    async readdir(path) {
      return (await orNull(fsp.readdir(path))) ?? [];
    },
    async mkdir(path) {
      await fsp.mkdir(path, { recursive: true });
    },
    rename: (from, to) => fsp.rename(from, to),
    link: (existing, to) => fsp.link(existing, to),
    async unlink(path) {
      await orNull(fsp.unlink(path));
    },
    async syncDir(dir) {
      const handle = await fsp.open(dir, constants.O_RDONLY);
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}
