/**
 * Two looks at the live log around a position recovery starts from (the snapshot's offset hint):
 * is there an intact group frame before it — were frames written in this file, so the torn-tail
 * rule may use them (tail-verdict.ts) — and does the line before it hold the record it should.
 * Both read backwards in chunks, only as far as needed.
 */
import { decodeFrame } from '../log/group-frame.ts';
import { decodeLineBytes } from '../log/jsonl-codec.ts';
import { type FsPort, readRange } from '../port/fs-port.ts';

const CHUNK_BYTES = 1024 * 1024;
const FRAME_START = Buffer.from('{"group":');

/** Is there an intact frame line starting before byte `offset` of `path`? */
export async function framesBefore(fs: FsPort, path: string, offset: number): Promise<boolean> {
  let end = offset;
  while (end > 0) {
    const from = Math.max(0, end - CHUNK_BYTES);
    // A little past `end`, so a frame line that starts just before it is read whole.
    const buf = await readRange(fs, path, from, end - from + 256);
    for (let at = buf.lastIndexOf(FRAME_START, end - from - 1); at !== -1; ) {
      if (at === 0 ? from === 0 : buf[at - 1] === 0x0a) {
        const nl = buf.indexOf(0x0a, at);
        if (nl !== -1 && decodeFrame(buf, at, nl)) return true;
      }
      at = at === 0 ? -1 : buf.lastIndexOf(FRAME_START, at - 1);
    }
    // The next chunk overlaps by a line's worth, so a frame across the boundary is not missed.
    end = from === 0 ? 0 : from + 256;
    if (from === 0) break;
  }
  return false;
}

/** Seq of the record whose line ends right before byte `offset` (a line start), or null. */
export async function seqEndingAt(
  fs: FsPort,
  path: string,
  offset: number,
): Promise<number | null> {
  if (offset <= 0) return null;
  const from = Math.max(0, offset - 64 * 1024);
  const buf = await readRange(fs, path, from, offset - from);
  if (buf.length !== offset - from || buf[buf.length - 1] !== 0x0a) return null;
  const start = buf.lastIndexOf(0x0a, buf.length - 2) + 1;
  if (start === 0 && from > 0) return null;
  const decoded = decodeLineBytes(buf, start, buf.length - 1, 0);
  return decoded.ok ? decoded.record.seq : null;
}
