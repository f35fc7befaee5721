/**
 * Split a stream of byte chunks into lines without copying each line: a batch is one buffer plus
 * the [start, end) of every complete line in it (end excludes the "\n"). A final line without
 * "\n" comes back as `partial` on the last batch — the torn-tail candidate.
 */
import { type FsHandle, readFull } from '../port/fs-port.ts';

export const CHUNK_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

export type LineBatch = {
  readonly buf: Buffer;
  /** File offset of buf[0]. */
  readonly base: number;
  /** 1-based line number of the first line in this batch. */
  readonly firstLineNo: number;
  /** start, end pairs: line i is buf[bounds[2i], bounds[2i+1]). */
  readonly bounds: number[];
  /** Bytes after the last newline at the end of the stream, if any. */
  readonly partial: { readonly start: number; readonly end: number } | null;
};

/**
 * Chunks of a file range [from, to) read through a handle. The next chunk is read while the
 * caller works on the current one (the read waits on the thread pool, the parse on this thread).
 */
export async function* fileChunks(
  handle: FsHandle,
  from: number,
  to: number,
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<Buffer> {
  let position = from;
  let next = position < to ? readChunk(handle, position, to, chunkBytes) : null;
  try {
    while (next) {
      const buf = await next;
      next = null;
      if (buf.length === 0) return;
      position += buf.length;
      // A short read is the end of the file as it is now: stop after it, as before.
      if (position < to && buf.length === chunkBytes) {
        next = readChunk(handle, position, to, chunkBytes);
        // Handled even if the caller drops the generator without finishing it (awaited below).
        next.catch(() => {});
      }
      yield buf;
    }
  } finally {
    // A caller that stopped early leaves no read running on a handle it is about to close.
    await next?.catch(() => null);
  }
}

/** One chunk at `position` (shorter at the end of the range or of the file; empty past it). */
async function readChunk(
  handle: FsHandle,
  position: number,
  to: number,
  chunkBytes: number,
): Promise<Buffer> {
  const length = Math.min(chunkBytes, to - position);
  const buf = Buffer.allocUnsafe(length);
  const got = await readFull(handle, buf, position);
  return got === length ? buf : buf.subarray(0, got);
}

/** Lines of a chunk stream whose first byte is at file offset `base`. */
export async function* lineBatches(
  chunks: AsyncIterable<Buffer>,
  base = 0,
  firstLineNo = 1,
): AsyncGenerator<LineBatch> {
  /** File offset of the first byte of the next buffer. */
  let offset = base;
  let lineNo = firstLineNo;
  for await (const { buf, partial } of wholeLines(chunks)) {
    if (partial) {
      yield {
        buf,
        base: offset,
        firstLineNo: lineNo,
        bounds: [],
        partial: { start: 0, end: buf.length },
      };
      return;
    }
    const bounds: number[] = [];
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      bounds.push(start, nl);
      start = nl + 1;
    }
    yield { buf, base: offset, firstLineNo: lineNo, bounds, partial: null };
    lineNo += bounds.length / 2;
    offset += buf.length;
  }
}

/**
 * A chunk stream cut at line ends: each buffer holds whole lines only (each ending in "\n"), for
 * a reader that finds the end of a line while reading it. Bytes after the last newline of the
 * stream come last, with `partial` set.
 */
export async function* wholeLines(
  chunks: AsyncIterable<Buffer>,
): AsyncGenerator<{ readonly buf: Buffer; readonly partial: boolean }> {
  let carry: Buffer | null = null;
  for await (const chunk of chunks) {
    let from = 0;
    if (carry) {
      // Only the line that spans two chunks is copied, never the whole chunk.
      const nl = chunk.indexOf(NEWLINE);
      if (nl === -1) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      yield { buf: Buffer.concat([carry, chunk.subarray(0, nl + 1)]), partial: false };
      carry = null;
      from = nl + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= from) {
      yield { buf: chunk.subarray(from, last + 1), partial: false };
      from = last + 1;
    }
    if (from < chunk.length) carry = chunk.subarray(from);
  }
  if (carry) yield { buf: carry, partial: true };
}
