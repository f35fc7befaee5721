/**
 * The files that hold the log, in seq order: gzip archives, rotated segments, and the live log.
 * `sourceLines` streams the raw lines of one of them from a given seq, whatever its kind.
 */
import { promisify } from 'node:util';
import { createGunzip, gunzip as gunzipCallback } from 'node:zlib';
import { type ArchiveBlock, decodeIndexFile, type IndexFile } from '../index/index-file.ts';
import { type FsHandle, type FsPort, readFull } from '../port/fs-port.ts';
import { fileChunks, type LineBatch, lineBatches } from './line-reader.ts';

const gunzip = promisify(gunzipCallback);

export type LogFile =
  | {
      readonly kind: 'archive';
      /** Workspace-relative name, e.g. archive/labels.…jsonl.gz */
      readonly name: string;
      readonly index_name: string;
      readonly from: number;
      readonly to: number;
    }
  | { readonly kind: 'segment'; readonly name: string; readonly from: number; readonly to: number }
  | {
      readonly kind: 'live';
      readonly name: string;
      readonly from: number;
      /** Highest seq in the file (from - 1 when empty). */
      to: number;
      /** Bytes of the file that hold acknowledged records. */
      bytes: number;
    };

/** Read and check an archive's index file. */
export async function readArchiveIndex(
  fs: FsPort,
  dir: string,
  file: Extract<LogFile, { kind: 'archive' }>,
): Promise<IndexFile | null> {
  const data = await fs.readFile(`${dir}/${file.index_name}`);
  const index = data && decodeIndexFile(data);
  if (!index || index.from !== file.from || index.to !== file.to || index.blocks.length === 0)
    return null;
  return index;
}

/** The block of an archive holding uncompressed `offset`. */
export function blockAt(index: IndexFile, offset: number): ArchiveBlock {
  const blocks = index.blocks;
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid]!.offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  return blocks[lo]!;
}

/** Decompress one archive block. */
export async function readBlock(handle: FsHandle, block: ArchiveBlock): Promise<Buffer> {
  const gz = Buffer.allocUnsafe(block.gz_length);
  if ((await readFull(handle, gz, block.gz_offset)) < gz.length)
    throw Object.assign(new Error('archive is shorter than its index says'), { code: 'EIO' });
  return gunzip(gz);
}

export type SourceRead = {
  readonly fs: FsPort;
  readonly dir: string;
  readonly file: LogFile;
  /** Byte offset to start at (a line start), and the line number there. */
  readonly start?: { readonly offset: number; readonly lineNo: number };
  /** Stop after this many bytes of the file (live log: the acknowledged length). */
  readonly end?: number;
  /** An archive's index, when already loaded. */
  readonly index?: IndexFile;
};

/** Raw line batches of one log file (archives are decompressed block by block). */
export async function* sourceLines(read: SourceRead): AsyncGenerator<LineBatch> {
  const { fs, dir, file } = read;
  if (file.kind !== 'archive') {
    const handle = await fs.open(`${dir}/${file.name}`, 'r');
    try {
      const size = read.end ?? (await handle.size());
      const start = read.start ?? { offset: 0, lineNo: 1 };
      yield* lineBatches(fileChunks(handle, start.offset, size), start.offset, start.lineNo);
    } finally {
      await handle.close();
    }
    return;
  }
  const index = read.index ?? (await readArchiveIndex(fs, dir, file));
  if (!index) {
    // No usable index: decompress the whole archive as one stream (slow, but never stuck).
    if (read.start) throw new Error(`${file.index_name} is missing; cannot start mid-archive`);
    yield* lineBatches(gunzipFile(fs, `${dir}/${file.name}`));
    return;
  }
  const handle = await fs.open(`${dir}/${file.name}`, 'r');
  try {
    const startOffset = read.start?.offset ?? 0;
    let first = index.blocks.indexOf(blockAt(index, startOffset));
    for (; first < index.blocks.length; first++) {
      const block = index.blocks[first]!;
      const data = await readBlock(handle, block);
      const skip = Math.max(0, startOffset - block.offset);
      const lineNo = block.first_seq - file.from + 1;
      async function* one() {
        yield data;
      }
      for await (const batch of lineBatches(one(), block.offset, lineNo)) {
        if (skip === 0) yield batch;
        else yield dropBefore(batch, skip);
      }
    }
  } finally {
    await handle.close();
  }
}

/** Drop the lines of a batch that start before `skip` bytes into it. */
function dropBefore(batch: LineBatch, skip: number): LineBatch {
  const bounds: number[] = [];
  let dropped = 0;
  for (let i = 0; i < batch.bounds.length; i += 2) {
    if (batch.bounds[i]! < skip) dropped += 1;
    else bounds.push(batch.bounds[i]!, batch.bounds[i + 1]!);
  }
  return { ...batch, bounds, firstLineNo: batch.firstLineNo + dropped };
}

/** Decompressed chunks of a whole (multi-member) gzip file. */
async function* gunzipFile(fs: FsPort, path: string): AsyncGenerator<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const size = await handle.size();
    const gunzipStream = createGunzip();
    const out: Buffer[] = [];
    gunzipStream.on('data', (chunk: Buffer) => out.push(chunk));
    const failed = new Promise<never>((_, reject) => gunzipStream.once('error', reject));
    failed.catch(() => {});
    for await (const chunk of fileChunks(handle, 0, size)) {
      const drained = new Promise<void>((resolve) => gunzipStream.write(chunk, () => resolve()));
      await Promise.race([drained, failed]);
      if (out.length > 0) yield Buffer.concat(out.splice(0));
    }
    const ended = new Promise<void>((resolve) => gunzipStream.end(() => resolve()));
    await Promise.race([ended, failed]);
    await new Promise((resolve) => setImmediate(resolve));
    if (out.length > 0) yield Buffer.concat(out.splice(0));
  } finally {
    await handle.close();
  }
}
