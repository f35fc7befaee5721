/**
 * What the files behind a table's rows are like: size, mtime, whether the file is there, and
 * (for tables without width/height columns) the image's size from its header. Filled in the
 * background after a load, a few files at a time, so a million-row table starts serving at once;
 * typed arrays, no object per row. Until a row is checked its state is `unknown` (listed as
 * present, sizes unknown).
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { readDimensions } from '@lenslet/gallery';
import { type Column, stringAt, type Table } from '@lenslet/table';

export const FILE_UNKNOWN = 0;
export const FILE_PRESENT = 1;
export const FILE_MISSING = 2;

const CONCURRENCY = 16;
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** The file a raw image-column value names, or null for a URL (not served). */
export function fileOfValue(raw: string, root: string): string | null {
  const value = raw.trim();
  if (URL_LIKE.test(value)) return null;
  return isAbsolute(value) ? value : resolve(root, value);
}

export class FileFacts {
  readonly size: Float64Array;
  readonly mtime: Float64Array;
  readonly width: Float64Array;
  readonly height: Float64Array;
  readonly state: Uint8Array;
  checked = 0;
  missing = 0;
  done = false;
  #stopped = false;

  constructor(
    private readonly table: Table,
    private readonly root: string,
    private readonly probe: boolean,
  ) {
    const n = table.row_count;
    this.size = new Float64Array(n).fill(Number.NaN);
    this.mtime = new Float64Array(n).fill(Number.NaN);
    this.width = new Float64Array(n).fill(Number.NaN);
    this.height = new Float64Array(n).fill(Number.NaN);
    this.state = new Uint8Array(n);
  }

  /** The file of row `row`, or null (a URL, or no value). */
  fileOf(row: number): string | null {
    const column = this.table.columns.get(this.table.path_column) as Extract<
      Column,
      { kind: 'text' | 'category' }
    >;
    const raw = stringAt(column, row);
    return raw === null ? null : fileOfValue(raw, this.root);
  }

  /** Check every row's file; resolves when all are checked (or `stop()` was called). */
  async run(): Promise<void> {
    const n = this.table.row_count;
    let next = 0;
    const worker = async () => {
      while (!this.#stopped) {
        const row = next++;
        if (row >= n) return;
        await this.check(row);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, Math.max(n, 1)) }, worker));
    this.done = !this.#stopped;
  }

  private async check(row: number): Promise<void> {
    const file = this.fileOf(row);
    const s = file === null ? null : await stat(file).catch(() => null);
    if (s === null || !s.isFile()) {
      this.state[row] = FILE_MISSING;
      this.missing++;
    } else {
      this.state[row] = FILE_PRESENT;
      this.size[row] = s.size;
      this.mtime[row] = s.mtimeMs;
      if (this.probe && file !== null) {
        const header = await readDimensions(file).catch(() => null);
        if (header?.size) {
          this.width[row] = header.size.width;
          this.height[row] = header.size.height;
        }
      }
    }
    this.checked++;
  }

  stop(): void {
    this.#stopped = true;
  }
}
