/**
 * Width and height of an image file from its header, without decoding: one 4 KiB read for PNG,
 * GIF and WebP; JPEG and AVIF step over segments/boxes with a few more small reads at most.
 * Then the embedded generation prompt (metadata/index-prompt.ts) from the same open file,
 * starting from the 4 KiB already read: no more reads for a file without one.
 *
 * The steps are a generator that yields the byte ranges it needs, so the same logic drives a
 * synchronous reader (the first scan of a local folder) and an asynchronous one (while serving,
 * and on network filesystems).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ImageFormat } from './formats.ts';
import { stepAvif } from './headers/avif.ts';
import type { Need, Size } from './headers/bytes.ts';
import { stepJpeg } from './headers/jpeg.ts';
import { detectFormat, fixedHeaderSize } from './headers/probe.ts';
import { runOnFd, runOnFile } from './metadata/drive.ts';
import { indexPromptSteps, mayHavePrompt } from './metadata/index-prompt.ts';

export const HEAD_BYTES = 4096;
/** Give up on a header after this many reads or bytes (a malformed file must not cost much). */
const MAX_READS = 24;
const MAX_BYTES = 4 << 20;

/** What the header says: the format, the displayed size and the embedded prompt when found. */
export type HeaderInfo = {
  readonly format: ImageFormat;
  readonly size: Size | null;
  readonly prompt: string | null;
};
/** Window of the prompt reads past the head (small: most text sits right after it). */
const PROMPT_WINDOW_BYTES = 4096;

/** Yields the ranges to read; receives their bytes; returns the header info (null: no image). */
function* headerSteps(): Generator<Need, HeaderInfo | null, Uint8Array> {
  const head = yield { offset: 0, length: HEAD_BYTES };
  const format = detectFormat(head);
  if (format === null) return null;
  if (format === 'png' || format === 'gif' || format === 'webp') {
    return { format, size: fixedHeaderSize(format, head), prompt: null };
  }
  let window = head;
  let base = 0;
  let from = format === 'jpeg' ? 2 : 0;
  let orientation = 1;
  let budget = MAX_BYTES;
  let atEnd = head.length < HEAD_BYTES;
  for (let reads = 0; reads < MAX_READS; reads++) {
    const step =
      format === 'jpeg' ? stepJpeg(window, base, from, orientation) : stepAvif(window, base, from);
    if (step.kind === 'size') return { format, size: step.size, prompt: null };
    if (step.kind === 'invalid') break;
    if ('orientation' in step) orientation = step.orientation as number;
    budget -= step.need.length;
    // Asked again after reaching the end of the file: the header is truncated.
    if (budget < 0 || (atEnd && step.need.offset >= base)) break;
    window = yield step.need;
    if (window.length === 0) break;
    atEnd = window.length < step.need.length;
    base = step.need.offset;
    from = step.need.offset;
  }
  return { format, size: null, prompt: null };
}

/** Header info of `file`, or null when it does not start like a supported image. Throws on I/O errors. */
export async function readDimensions(file: string): Promise<HeaderInfo | null> {
  const handle = await open(file, 'r');
  try {
    const steps = headerSteps();
    let head: Uint8Array | null = null;
    let next = steps.next(new Uint8Array(0));
    while (!next.done) {
      const buf = Buffer.allocUnsafe(next.value.length);
      const { bytesRead } = await handle.read(buf, 0, buf.length, next.value.offset);
      head ??= buf.subarray(0, bytesRead);
      next = steps.next(buf.subarray(0, bytesRead));
    }
    const info = next.value;
    if (info === null || head === null || !mayHavePrompt(info.format, head)) return info;
    const prompt = await runOnFile(indexPromptSteps(info.format, head), handle, PROMPT_WINDOW_BYTES)
      // A prompt that cannot be read must not cost the image its place in the index.
      .catch(() => null);
    return prompt === null ? info : { ...info, prompt };
  } finally {
    await handle.close();
  }
}

/**
 * Buffers for the blocking reads: the first read (the head, which the prompt read starts from)
 * and all later ones; the steps never hold on to a later window after the next read.
 */
let sharedHead: Buffer | null = null;
let shared: Buffer | null = null;

/** Same, with blocking reads: for the first scan of a local folder, before anything is served. */
export function readDimensionsSync(file: string): HeaderInfo | null {
  const fd = openSync(file, 'r');
  try {
    const steps = headerSteps();
    let head: Uint8Array | null = null;
    let next = steps.next(new Uint8Array(0));
    while (!next.done) {
      sharedHead ??= Buffer.allocUnsafeSlow(HEAD_BYTES);
      shared ??= Buffer.allocUnsafeSlow(1 << 16);
      const pool: Buffer = head === null ? sharedHead : shared;
      const buf: Buffer =
        next.value.length <= pool.length
          ? pool.subarray(0, next.value.length)
          : Buffer.allocUnsafe(next.value.length);
      const bytesRead = readSync(fd, buf, 0, buf.length, next.value.offset);
      head ??= buf.subarray(0, bytesRead);
      next = steps.next(buf.subarray(0, bytesRead));
    }
    const info = next.value;
    if (info === null || head === null || !mayHavePrompt(info.format, head)) return info;
    let prompt: string | null = null;
    try {
      prompt = runOnFd(indexPromptSteps(info.format, head), fd, PROMPT_WINDOW_BYTES);
    } catch {
      // A prompt that cannot be read must not cost the image its place in the index.
    }
    return prompt === null ? info : { ...info, prompt };
  } finally {
    closeSync(fd);
  }
}
