/**
 * Writing a snapshot file through the filesystem port: streamed in chunks of about 1 MiB (never
 * one giant string), the crc computed on the way out, fdatasynced by `finish()`. The caller writes
 * to a temp name and renames it into place.
 */
import { crc32 } from 'node:zlib';
import type { CanonicalPath, Labels } from '@lenslet/core';
import type { IdempotencyEntry } from '../index/idempotency.ts';
import type { FsHandle } from '../port/fs-port.ts';
import {
  endLine,
  headerLine,
  ITEMS_END_LINE,
  idempotencyLine,
  itemLine,
  type SnapshotHeader,
} from './snapshot-codec.ts';

const WRITE_CHUNK_CHARS = 1 << 20;

/**
 * Streams a snapshot into an open handle: header, then items and idempotency entries in any
 * number of calls, then `finish()` which writes the end line and fdatasyncs.
 */
export class SnapshotWriter {
  readonly #handle: FsHandle;
  #position = 0;
  #pending = '';
  /** Buffers queued before `#pending` (raw item lines copied from another snapshot). */
  #chunks: Buffer[] = [];
  #chunkBytes = 0;
  #crc = 0;
  #items = 0;
  #entries = 0;
  #stage: 'items' | 'idempotency' = 'items';

  constructor(handle: FsHandle, header: SnapshotHeader) {
    this.#handle = handle;
    this.#pending = `${headerLine(header)}\n`;
  }

  async #push(text: string): Promise<void> {
    this.#pending += text;
    if (this.#pending.length + this.#chunkBytes >= WRITE_CHUNK_CHARS) await this.#drain();
  }

  /** Move the pending text into the chunk list (keeps the order of text and raw bytes). */
  #settle(): void {
    if (this.#pending === '') return;
    const data = Buffer.from(this.#pending, 'utf8');
    this.#pending = '';
    this.#chunks.push(data);
    this.#chunkBytes += data.length;
  }

  async #drain(): Promise<void> {
    this.#settle();
    if (this.#chunks.length === 0) return;
    const data =
      this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#chunkBytes);
    this.#chunks = [];
    this.#chunkBytes = 0;
    this.#crc = crc32(data, this.#crc);
    await this.#handle.write(data, this.#position);
    this.#position += data.length;
  }

  /** Add an item from its labels. */
  item(path: CanonicalPath, labels: Labels): Promise<void> {
    return this.rawItem(itemLine(path, labels));
  }

  /** Add an item line. */
  rawItem(line: string): Promise<void> {
    const text = `${this.#items === 0 ? '' : ',\n'}${line}`;
    this.#items += 1;
    return this.#push(text);
  }

  /** Add an item line copied byte for byte from another snapshot: buf[start, end). */
  async copiedItem(buf: Buffer, start: number, end: number): Promise<void> {
    if (this.#items > 0) this.#pending += ',\n';
    this.#items += 1;
    this.#settle();
    this.#chunks.push(Buffer.from(buf.subarray(start, end)));
    this.#chunkBytes += end - start;
    if (this.#chunkBytes >= WRITE_CHUNK_CHARS) await this.#drain();
  }

  async idempotency(entry: IdempotencyEntry): Promise<void> {
    if (this.#stage === 'items') await this.#endItems();
    const text = `${this.#entries === 0 ? '' : ',\n'}${idempotencyLine(entry)}`;
    this.#entries += 1;
    await this.#push(text);
  }

  async #endItems(): Promise<void> {
    this.#stage = 'idempotency';
    await this.#push(`${this.#items === 0 ? '' : '\n'}${ITEMS_END_LINE}\n`);
  }

  /** Write the end line and fdatasync; resolves the byte size. */
  async finish(): Promise<{ bytes: number; items: number; idempotency: number }> {
    if (this.#stage === 'items') await this.#endItems();
    if (this.#entries > 0) this.#pending += '\n';
    await this.#drain();
    const crc = (this.#crc >>> 0).toString(16).padStart(8, '0');
    const tail = Buffer.from(`${endLine(this.#items, this.#entries, crc)}\n`, 'utf8');
    await this.#handle.write(tail, this.#position);
    this.#position += tail.length;
    await this.#handle.datasync();
    return { bytes: this.#position, items: this.#items, idempotency: this.#entries };
  }
}
