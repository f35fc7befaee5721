/**
 * Random access to single records by (file, offset): one short read for the live log and
 * segments, one decompressed block (cached) for archives. Used by `history` and to answer a
 * retried idempotency key.
 */
import type { LabelRecord } from '@lenslet/core';
import type { IndexFile } from '../index/index-file.ts';
import type { FsPort } from '../port/fs-port.ts';
import { decodeLineBytes } from './jsonl-codec.ts';
import { blockAt, type LogFile, readArchiveIndex, readBlock } from './log-source.ts';

const BLOCK_CACHE_SIZE = 64;
const FIRST_READ_BYTES = 4096;

export class RecordReader {
  readonly #fs: FsPort;
  readonly #dir: string;
  readonly #indexes = new Map<string, IndexFile>();
  /** Decompressed archive blocks, least recently used first. */
  readonly #blocks = new Map<string, Buffer>();

  constructor(fs: FsPort, dir: string) {
    this.#fs = fs;
    this.#dir = dir;
  }

  /** Remember an archive's index (loaded elsewhere). */
  rememberIndex(name: string, index: IndexFile): void {
    this.#indexes.set(name, index);
  }

  /** Forget cached data of a file that was replaced or removed. */
  forget(name: string): void {
    this.#indexes.delete(name);
    for (const key of this.#blocks.keys()) if (key.startsWith(`${name}@`)) this.#blocks.delete(key);
  }

  /** The record whose line starts at `offset` in `file`. */
  async read(file: LogFile, offset: number, seq: number): Promise<LabelRecord> {
    const line =
      file.kind === 'archive'
        ? await this.#archiveLine(file, offset)
        : await this.#plainLine(file, offset);
    const decoded = decodeLineBytes(line, 0, line.length, seq - file.from + 1);
    if (!decoded.ok) throw new Error(`${file.name}: ${decoded.problem}`);
    if (decoded.record.seq !== seq) {
      throw new Error(
        `${file.name}: expected seq ${seq} at offset ${offset}, found ${decoded.record.seq}`,
      );
    }
    return decoded.record;
  }

  async #plainLine(file: LogFile, offset: number): Promise<Buffer> {
    const handle = await this.#fs.open(`${this.#dir}/${file.name}`, 'r');
    try {
      let size = FIRST_READ_BYTES;
      for (;;) {
        const buf = Buffer.allocUnsafe(size);
        const got = await handle.read(buf, 0, size, offset);
        const nl = buf.subarray(0, got).indexOf(0x0a);
        if (nl !== -1) return buf.subarray(0, nl);
        if (got < size) throw new Error(`${file.name}: no complete line at offset ${offset}`);
        size *= 4;
      }
    } finally {
      await handle.close();
    }
  }

  async #archiveLine(file: Extract<LogFile, { kind: 'archive' }>, offset: number): Promise<Buffer> {
    let index = this.#indexes.get(file.name);
    if (!index) {
      const loaded = await readArchiveIndex(this.#fs, this.#dir, file);
      if (!loaded) throw new Error(`${file.index_name} is missing or damaged`);
      index = loaded;
      this.#indexes.set(file.name, index);
    }
    const block = blockAt(index, offset);
    const key = `${file.name}@${block.offset}`;
    let data = this.#blocks.get(key);
    if (data) this.#blocks.delete(key);
    else {
      const handle = await this.#fs.open(`${this.#dir}/${file.name}`, 'r');
      try {
        data = await readBlock(handle, block);
      } finally {
        await handle.close();
      }
    }
    this.#blocks.set(key, data);
    if (this.#blocks.size > BLOCK_CACHE_SIZE)
      this.#blocks.delete(this.#blocks.keys().next().value!);
    const start = offset - block.offset;
    const nl = data.indexOf(0x0a, start);
    return data.subarray(start, nl === -1 ? data.length : nl);
  }
}
