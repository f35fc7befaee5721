/**
 * The idempotency section of a snapshot read on its own, so that the worker thread can fill the
 * key table while the main thread reads the items: the section is found from the end of the file
 * (the line `},"idempotency":[` occurs once: item lines start with `"`, key lines with `[`), its
 * lines are read as `loadSnapshot` reads them (the written form from bytes, anything else through
 * `parseIdempotencyLine`) into an `IdempotencyTable` made with the store's seed, and the table
 * comes back as plain data. Where the section starts, its length, line count and CRC-32 come back
 * too: the main thread, which checks the whole file's crc, takes the table only when they equal
 * what it read itself (recovery/snapshot-keys-off-thread.ts).
 */
import { crc32 } from 'node:zlib';
import { IdempotencyTable, type IdempotencyTableState } from '../index/idempotency-table.ts';
import { CHUNK_BYTES, fileChunks, wholeLines } from '../log/line-reader.ts';
import { type FsHandle, type FsPort, readFull } from '../port/fs-port.ts';
import { addKeyLine, readCanonicalKeyLine } from './canonical-snapshot-lines.ts';
import { ITEMS_END_LINE, parseIdempotencyLine } from './snapshot-codec.ts';

export type KeysJob = { readonly path: string; readonly seed: number };

/** Where a snapshot's key lines are: buf[offset, offset + bytes) of the file, and what they hold. */
export type KeySection = {
  readonly offset: number;
  readonly bytes: number;
  readonly lines: number;
  /** CRC-32 of those bytes. */
  readonly crc: number;
};

export type KeysResult =
  | ({ readonly ok: true; readonly state: IdempotencyTableState } & KeySection)
  | { readonly ok: false; readonly problem: string };

const MARKER = Buffer.from(`\n${ITEMS_END_LINE}\n`, 'latin1');
const END_LINE_START = 0x5d;
const COMMA = 0x2c;
/** Enough of the file's end to hold its end line. */
const END_TAIL_BYTES = 256;
/** No key line is shorter than this (`["k","put","/a","put:<16 hex>",1,0],`): bounds a bad count. */
const MIN_KEY_LINE = 32;

/**
 * Read the key section of the snapshot at `job.path` into a table hashed with `job.seed`
 * (`chunkBytes`: the read size, small in tests to put chunk edges everywhere).
 */
export async function readKeySection(
  fs: FsPort,
  job: KeysJob,
  chunkBytes = CHUNK_BYTES,
): Promise<KeysResult> {
  const fail = (problem: string): KeysResult => ({ ok: false, problem });
  const handle = await fs.open(job.path, 'r');
  try {
    const size = await handle.size();
    const offset = await sectionStart(handle, size, chunkBytes);
    if (offset === -1) return fail('no idempotency section');
    const table = new IdempotencyTable(() => null, job.seed);
    // Sized once, as `loadSnapshot`'s keys size it (growing by doubling costs a third more): by
    // the count the end line declares, which the main thread checks against the lines it reads.
    table.reserve(
      Math.min(await declaredKeys(handle, size), Math.floor((size - offset) / MIN_KEY_LINE)),
    );
    let lines = 0;
    let crc = 0;
    let at = offset;
    for await (const { buf, partial } of wholeLines(fileChunks(handle, offset, size, chunkBytes))) {
      if (partial) return fail('the file ends in the middle of a line');
      let pos = 0;
      while (pos < buf.length) {
        const start = pos;
        const end = buf.indexOf(0x0a, pos);
        pos = end + 1;
        if (buf[start] === END_LINE_START) {
          crc = crc32(buf.subarray(0, start), crc);
          return {
            ok: true,
            offset,
            bytes: at + start - offset,
            lines,
            crc,
            state: table.exportState(),
          };
        }
        const textEnd = buf[end - 1] === COMMA ? end - 1 : end;
        if (readCanonicalKeyLine(buf, start, textEnd)) addKeyLine(table, buf);
        else {
          const parsed = parseIdempotencyLine(buf.toString('utf8', start, textEnd));
          if (!parsed.ok) return fail(parsed.problem);
          table.add(parsed.value);
        }
        lines += 1;
      }
      crc = crc32(buf, crc);
      at += buf.length;
    }
    return fail('the file is truncated (no end line)');
  } finally {
    await handle.close();
  }
}

/**
 * The key count the end line (`],"end":{…,"idempotency":N,…}}`, the file's last bytes) declares,
 * or 0 when it cannot be read there.
 */
async function declaredKeys(handle: FsHandle, size: number): Promise<number> {
  const tail = Buffer.allocUnsafe(Math.min(size, END_TAIL_BYTES));
  await readFull(handle, tail, size - tail.length);
  const text = tail.toString('latin1');
  const count = /"idempotency":(\d{1,9})[,}]/.exec(text.slice(text.lastIndexOf('],"end":')));
  return count ? Number(count[1]) : 0;
}

/** Offset of the first key line (right after the `},"idempotency":[` line), or -1. */
async function sectionStart(handle: FsHandle, size: number, chunkBytes: number): Promise<number> {
  for (let to = size; to > 0; ) {
    const from = Math.max(0, to - chunkBytes);
    // Overlap the next window by the marker's length less one: a marker across the seam is found.
    const buf = Buffer.allocUnsafe(Math.min(size, to + MARKER.length - 1) - from);
    if ((await readFull(handle, buf, from)) < buf.length) return -1;
    const found = buf.lastIndexOf(MARKER);
    if (found !== -1) return from + found + MARKER.length;
    to = from;
  }
  return -1;
}
