/**
 * Drivers for metadata steps: over a buffer (tests, fuzzing), an open file (the route) or a file
 * descriptor (the blocking first scan). File drivers read a window past each request (64 KiB by
 * default), so the chunk or segment headers that follow it cost no further system call.
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Steps } from './read-steps.ts';

/** Bytes read per request at least (the route's default; the scanner reads smaller windows). */
export const WINDOW_BYTES = 64 << 10;

/** Run `steps` over bytes held in memory. */
export function runOnBytes<T>(steps: Steps<T>, bytes: Uint8Array): T {
  let next = steps.next(new Uint8Array(0));
  while (!next.done) {
    const { offset, length } = next.value;
    const start = Math.min(offset, bytes.length);
    next = steps.next(bytes.subarray(start, Math.min(bytes.length, start + length)));
  }
  return next.value;
}

/** The last window read from a file; requests inside it (or past the end it saw) are served from it. */
class Window {
  private offset = 0;
  private bytes: Buffer | null = null;
  private eof = false;
  constructor(private readonly size: number) {}

  /** The bytes of a request, or the size of the window to read at `offset` first. */
  lookup(offset: number, length: number): Uint8Array | number {
    const w = this.bytes;
    if (w !== null && offset >= this.offset) {
      const end = this.offset + w.length;
      if (offset + length <= end || (this.eof && offset <= end)) {
        const from = offset - this.offset;
        return w.subarray(from, Math.min(w.length, from + length));
      }
    }
    return length + this.size;
  }

  /** Keep what a read of `size` bytes at `offset` returned; answer the request's part. */
  fill(offset: number, buf: Buffer, bytesRead: number, length: number): Uint8Array {
    this.offset = offset;
    this.bytes = buf.subarray(0, bytesRead);
    this.eof = bytesRead < buf.length;
    return this.bytes.subarray(0, Math.min(length, bytesRead));
  }
}

/** Run `steps` over an open file. */
export async function runOnFile<T>(
  steps: Steps<T>,
  handle: FileHandle,
  windowBytes = WINDOW_BYTES,
): Promise<T> {
  const window = new Window(windowBytes);
  let next = steps.next(new Uint8Array(0));
  while (!next.done) {
    const { offset, length } = next.value;
    let bytes = window.lookup(offset, length);
    if (typeof bytes === 'number') {
      const buf = Buffer.allocUnsafe(bytes);
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      bytes = window.fill(offset, buf, bytesRead, length);
    }
    next = steps.next(bytes);
  }
  return next.value;
}

/** Run `steps` over a file descriptor with blocking reads. */
export function runOnFd<T>(steps: Steps<T>, fd: number, windowBytes = WINDOW_BYTES): T {
  const window = new Window(windowBytes);
  let next = steps.next(new Uint8Array(0));
  while (!next.done) {
    const { offset, length } = next.value;
    let bytes = window.lookup(offset, length);
    if (typeof bytes === 'number') {
      const buf = Buffer.allocUnsafe(bytes);
      bytes = window.fill(offset, buf, readSync(fd, buf, 0, buf.length, offset), length);
    }
    next = steps.next(bytes);
  }
  return next.value;
}
