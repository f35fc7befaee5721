/**
 * Case-insensitive substring search over one string per row, fast: the lower-cased values are
 * joined into a few large strings (NUL between rows) once, then each search is `indexOf` over
 * them, mapping hits back to rows by binary search. Built lazily, kept until the table reloads.
 */

const CHUNK_CHARS = 1 << 24;
const SEPARATOR = '\u0000';

type Chunk = { readonly text: string; readonly firstRow: number; readonly starts: Uint32Array };

export class TextHaystack {
  private readonly chunks: Chunk[] = [];

  constructor(value: (row: number) => string | null, n: number) {
    let parts: string[] = [];
    let starts: number[] = [];
    let firstRow = 0;
    let length = 0;
    const flush = (nextRow: number) => {
      this.chunks.push({ text: parts.join(SEPARATOR), firstRow, starts: Uint32Array.from(starts) });
      parts = [];
      starts = [];
      length = 0;
      firstRow = nextRow;
    };
    for (let row = 0; row < n; row++) {
      const v = (value(row) ?? '').toLowerCase().replaceAll(SEPARATOR, ' ');
      if (length > 0 && length + v.length > CHUNK_CHARS) flush(row);
      starts.push(length);
      parts.push(v);
      length += v.length + 1;
    }
    flush(n);
  }

  /** Set `out[row] = 1` for every row whose value contains `needle` (lower-cased). */
  search(needle: string, out: Uint8Array): void {
    if (needle === '' || needle.includes(SEPARATOR)) return;
    for (const { text, firstRow, starts } of this.chunks) {
      let from = 0;
      for (;;) {
        const at = text.indexOf(needle, from);
        if (at < 0) break;
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (starts[mid]! <= at) lo = mid;
          else hi = mid - 1;
        }
        out[firstRow + lo] = 1;
        from = lo + 1 < starts.length ? starts[lo + 1]! : text.length;
      }
    }
  }
}
