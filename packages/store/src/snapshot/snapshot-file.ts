/**
 * Reading and writing snapshot files through the filesystem port: streamed line by line in both
 * directions (never one giant string), crc and counts checked on the way in.
 */
import { crc32 } from 'node:zlib';
import type { CanonicalPath, Labels } from '@lenslet/core';
import type { IdempotencyEntry } from '../index/idempotency.ts';
import { fileChunks, lineBatches } from '../log/line-reader.ts';
import type { FsHandle, FsPort } from '../port/fs-port.ts';
import {
  endLine,
  headerLine,
  ITEMS_END_LINE,
  idempotencyLine,
  itemLine,
  type Parsed,
  parseEndLine,
  parseHeader,
  parseIdempotencyLine,
  parseItem,
  type SnapshotHeader,
} from './snapshot-codec.ts';

export type SnapshotVisitor = {
  header?(header: SnapshotHeader): void;
  /** One item line, buf[start, end), exactly as stored (without the separating comma). Throw to reject it. */
  item?(buf: Buffer, start: number, end: number): void | Promise<void>;
  idempotency?(entry: IdempotencyEntry): void | Promise<void>;
};

/**
 * Stream a snapshot file through `visit`. Resolves null when the file does not exist, otherwise
 * the header or the reason the file is unreadable.
 */
export async function scanSnapshot(
  fs: FsPort,
  path: string,
  visit: SnapshotVisitor,
): Promise<Parsed<SnapshotHeader> | null> {
  let handle: FsHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
  const fail = (problem: string): Parsed<SnapshotHeader> => ({ ok: false, problem });
  try {
    const size = await handle.size();
    let stage: 'header' | 'items' | 'idempotency' | 'done' = 'header';
    let header: SnapshotHeader | null = null;
    let crc = 0;
    let items = 0;
    let entries = 0;
    for await (const batch of lineBatches(fileChunks(handle, 0, size))) {
      if (batch.partial) return fail('the file ends in the middle of a line (truncated)');
      const { buf, bounds } = batch;
      for (let i = 0; i < bounds.length; i += 2) {
        const start = bounds[i]!;
        const end = bounds[i + 1]!;
        if (stage === 'done') return fail('there is data after the end line');
        if (stage === 'idempotency' && buf[start] === 0x5d) {
          const parsed = parseEndLine(buf.toString('utf8', start, end));
          if (!parsed.ok) return fail(parsed.problem);
          const { value } = parsed;
          if (value.crc !== (crc >>> 0).toString(16).padStart(8, '0'))
            return fail('crc mismatch: the file is damaged');
          if (value.items !== items || value.idempotency !== entries)
            return fail('item count mismatch: the file is damaged');
          stage = 'done';
          continue;
        }
        crc = crc32(buf.subarray(start, end + 1), crc);
        // Lines between items end with a comma; it is not part of the item.
        const textEnd = buf[end - 1] === 0x2c ? end - 1 : end;
        if (stage === 'header') {
          const parsed = parseHeader(buf.toString('utf8', start, end));
          if (!parsed.ok) return fail(parsed.problem);
          header = parsed.value;
          visit.header?.(header);
          stage = 'items';
        } else if (stage === 'items') {
          if (
            end - start === ITEMS_END_LINE.length &&
            buf.toString('latin1', start, end) === ITEMS_END_LINE
          ) {
            stage = 'idempotency';
            continue;
          }
          if (visit.item) {
            try {
              const pending = visit.item(buf, start, textEnd);
              if (pending) await pending;
            } catch (error) {
              return fail((error as Error).message);
            }
          }
          items += 1;
        } else if (visit.idempotency) {
          const parsed = parseIdempotencyLine(buf.toString('utf8', start, textEnd));
          if (!parsed.ok) return fail(parsed.problem);
          const pending = visit.idempotency(parsed.value);
          if (pending) await pending;
          entries += 1;
        } else {
          entries += 1;
        }
      }
    }
    if (stage !== 'done' || !header) return fail('the file is truncated (no end line)');
    return { ok: true, value: header };
  } finally {
    await handle.close();
  }
}

export type LoadedSnapshot = {
  readonly header: SnapshotHeader;
  readonly items: Map<CanonicalPath, Labels>;
  readonly idempotency: IdempotencyEntry[];
};

/** Load a whole snapshot into memory; null when absent. */
export async function loadSnapshot(
  fs: FsPort,
  path: string,
): Promise<Parsed<LoadedSnapshot> | null> {
  const items = new Map<CanonicalPath, Labels>();
  const idempotency: IdempotencyEntry[] = [];
  const result = await scanSnapshot(fs, path, {
    item(buf, start, end) {
      const parsed = parseItem(buf, start, end);
      if (!parsed.ok) throw new Error(parsed.problem);
      items.set(parsed.value[0], parsed.value[1]);
    },
    idempotency: (entry) => {
      idempotency.push(entry);
    },
  });
  if (result === null || !result.ok) return result;
  return { ok: true, value: { header: result.value, items, idempotency } };
}

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

/** Just the header line of a snapshot (cheap), or null when absent or unreadable. */
export async function readSnapshotHeader(fs: FsPort, path: string): Promise<SnapshotHeader | null> {
  let handle: FsHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = await handle.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, n).indexOf(0x0a);
    if (nl === -1) return null;
    const parsed = parseHeader(buf.toString('utf8', 0, nl));
    return parsed.ok ? parsed.value : null;
  } finally {
    await handle.close();
  }
}
