/**
 * Where the never-acknowledged tail of a live log starts, for `lenslet compact --repair` — so a
 * repair never turns records of an interrupted write into applied ones (issue 12: a repair that
 * kept the whole records after a hole made writes whose clients were told 503 count).
 *
 * - Framed log (docs/format.md, "Group frames"): every byte before the largest `durable` of an
 *   intact frame was on disk when a later group was written; from there on nothing is known to
 *   be acknowledged. The tail starts at the first damaged group (or damaged line) at or after it.
 * - Log without frames: a hole — a run of zero bytes that ends on a 4 KiB page boundary or at the
 *   end — followed only by whole records is the mark of one write torn by a power cut (an
 *   acknowledged write was synced whole); the tail starts at the line holding the hole. So do bad
 *   bytes at the very end with nothing good after them (the torn-tail rule).
 * Damage before that point is salvaged as before: records that decode are kept.
 */
import { decodeFrame, isFrameLine } from '../log/group-frame.ts';
import { decodeLineBytes } from '../log/jsonl-codec.ts';
import { fileChunks, lineBatches } from '../log/line-reader.ts';
import type { FsPort } from '../port/fs-port.ts';

const PAGE_BYTES = 4096;

type Line = {
  readonly offset: number;
  readonly end: number;
  readonly kind: 'frame' | 'record' | 'bad';
  readonly group?: number;
  readonly durable?: number;
  /** End offset of the last zero byte in a bad line (0: none). */
  readonly zeroEnd?: number;
};

/** Byte offset where the unacknowledged tail of `path` starts, or null when there is none. */
export async function unacknowledgedTail(fs: FsPort, path: string): Promise<number | null> {
  const lines: Line[] = [];
  const handle = await fs.open(path, 'r');
  try {
    const size = await handle.size();
    for await (const batch of lineBatches(fileChunks(handle, 0, size))) {
      const { buf, bounds } = batch;
      for (let i = 0; i < bounds.length; i += 2) {
        lines.push(classify(buf, bounds[i]!, bounds[i + 1]!, batch.base));
      }
      if (batch.partial) {
        const { start, end } = batch.partial;
        lines.push({
          ...classify(buf, start, end, batch.base),
          kind: 'bad',
          end: batch.base + end,
        });
      }
    }
  } finally {
    await handle.close();
  }
  return lines.some((l) => l.kind === 'frame') ? framedTail(lines) : unframedTail(lines);
}

function classify(buf: Buffer, start: number, end: number, base: number): Line {
  const at = { offset: base + start, end: base + end + 1 };
  if (isFrameLine(buf, start, end)) {
    const frame = decodeFrame(buf, start, end);
    if (frame) return { ...at, kind: 'frame', group: frame.group, durable: frame.durable };
  } else if (decodeLineBytes(buf, start, end, 1).ok) return { ...at, kind: 'record' };
  const zero = buf.lastIndexOf(0, end - 1);
  return { ...at, kind: 'bad', zeroEnd: zero >= start ? base + zero + 1 : 0 };
}

function framedTail(lines: Line[]): number | null {
  const vouched = Math.max(0, ...lines.map((l) => (l.kind === 'frame' ? l.durable! : 0)));
  let groupStart = -1;
  let groupEnd = -1;
  for (const line of lines) {
    const inGroup = line.offset < groupEnd;
    const start = inGroup ? groupStart : line.offset;
    const broken =
      line.kind === 'bad' ||
      (line.kind === 'frame' && inGroup) ||
      (line.kind === 'record' && inGroup && line.end > groupEnd);
    if (broken && start >= vouched) return start;
    if (line.kind === 'frame' && !inGroup) {
      groupStart = line.offset;
      groupEnd = line.end + line.group!;
    }
  }
  const last = lines.at(-1);
  // The last group announces more bytes than the file holds.
  if (last && groupEnd > last.end && groupStart >= vouched) return groupStart;
  return null;
}

function unframedTail(lines: Line[]): number | null {
  // From the end back: whole records and holes (zeros up to a page boundary or the end of the
  // file), and a bad last line, are what one torn write leaves; anything else stops the walk.
  let tail: number | null = null;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.kind === 'record') continue;
    const zeroEnd = line.zeroEnd ?? 0;
    const hole = zeroEnd > 0 && (zeroEnd % PAGE_BYTES === 0 || zeroEnd >= line.end - 1);
    if (line.kind !== 'bad' || !(hole || i === lines.length - 1)) break;
    tail = line.offset;
  }
  return tail;
}
