/**
 * The line number of a byte offset in a log file, counted from its first byte. Reads that start
 * mid-file (at a snapshot's hint or an index offset) only estimate line numbers — group frames
 * are lines without a seq — so a problem found there is renamed with the exact number before it
 * is shown. Only on that error path: it reads the file up to the offset.
 */
import { type SourceRead, sourceLines } from './log-source.ts';

/** 1-based number of the line that starts at `offset` (or holds it). */
export async function lineNumberAt(read: Omit<SourceRead, 'start' | 'end'>, offset: number) {
  let lines = 0;
  for await (const batch of sourceLines(read)) {
    const { bounds } = batch;
    for (let i = 0; i < bounds.length; i += 2) {
      if (batch.base + bounds[i]! >= offset) return lines + 1;
      lines += 1;
    }
    if (batch.partial && batch.base + batch.partial.start >= offset) return lines + 1;
  }
  return lines + 1;
}
