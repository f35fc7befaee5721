/**
 * Where the log probably ends, read before folding it: the seq of the last line near the end of
 * the live log that decodes (or the last history file's end when the live log has none). Recovery
 * keeps per-record data only for the newest records (the recent-records ring, the idempotency
 * keys of the newest IDEMPOTENCY_MIN_RECORDS); knowing roughly where the end is lets the fold skip
 * that work for every record before them, instead of holding each record until a million more
 * have passed. It is only a hint: `TailFold` checks it against the seq it really ends at.
 */
import { decodeLineBytes } from '../log/jsonl-codec.ts';
import { type FsPort, readRange } from '../port/fs-port.ts';
import { LOG_FILE } from '../workspace/layout.ts';

/** Bytes read from the end of the live log. */
const TAIL_BYTES = 256 * 1024;

/** The seq of the last record near the end of the log, or null when none is found. */
export async function estimateLastSeq(
  fs: FsPort,
  dir: string,
  liveSize: number | null,
  historyTo: number | null,
): Promise<number | null> {
  if (liveSize !== null && liveSize > 0) {
    const from = Math.max(0, liveSize - TAIL_BYTES);
    const tail = await readRange(fs, `${dir}/${LOG_FILE}`, from, liveSize - from);
    let end = tail.lastIndexOf(0x0a);
    while (end > 0) {
      const start = tail.lastIndexOf(0x0a, end - 1) + 1;
      if (start === 0 && from > 0) break;
      const decoded = decodeLineBytes(tail, start, end, 0);
      if (decoded.ok) return decoded.record.seq;
      end = start - 1;
    }
  }
  return historyTo;
}
