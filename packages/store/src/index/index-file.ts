/**
 * Binary index files (`archive/*.idx`, `labels.log.idx`), little endian:
 *
 *   magic "LLIDX1\0\0" · from f64 · to f64 · covered_bytes f64 · block_count u32 · 0 u32
 *   blocks[block_count]: first_seq f64 · offset f64 · gz_offset f64 · gz_length u32 · length u32
 *   offsets[to-from+1] f64 (byte offset of each record's line in the uncompressed log)
 *   hashes[to-from+1]  i32 (history-index path hash of each record)
 *   crc u32 (CRC-32 of every byte before it)
 *
 * Derived data: a missing or damaged index is rebuilt from the log it describes.
 */
import { crc32 } from 'node:zlib';

const MAGIC = Buffer.from('LLIDX1\0\0', 'latin1');
const HEADER_BYTES = 40;
const BLOCK_BYTES = 32;

/** One gzip member of an archive: the lines from `first_seq`, at `offset` uncompressed. */
export type ArchiveBlock = {
  readonly first_seq: number;
  readonly offset: number;
  readonly gz_offset: number;
  readonly gz_length: number;
  readonly length: number;
};

export type IndexFile = {
  readonly from: number;
  readonly to: number;
  /** Uncompressed bytes of log the index describes (offset right after record `to`). */
  readonly covered_bytes: number;
  readonly blocks: readonly ArchiveBlock[];
  readonly offsets: Float64Array;
  readonly hashes: Int32Array;
};

export function encodeIndexFile(index: IndexFile): Buffer {
  const count = index.to - index.from + 1;
  const size = HEADER_BYTES + index.blocks.length * BLOCK_BYTES + count * 12 + 4;
  const buf = Buffer.alloc(size);
  MAGIC.copy(buf, 0);
  buf.writeDoubleLE(index.from, 8);
  buf.writeDoubleLE(index.to, 16);
  buf.writeDoubleLE(index.covered_bytes, 24);
  buf.writeUInt32LE(index.blocks.length, 32);
  let at = HEADER_BYTES;
  for (const b of index.blocks) {
    buf.writeDoubleLE(b.first_seq, at);
    buf.writeDoubleLE(b.offset, at + 8);
    buf.writeDoubleLE(b.gz_offset, at + 16);
    buf.writeUInt32LE(b.gz_length, at + 24);
    buf.writeUInt32LE(b.length, at + 28);
    at += BLOCK_BYTES;
  }
  Buffer.from(index.offsets.buffer, index.offsets.byteOffset, count * 8).copy(buf, at);
  at += count * 8;
  Buffer.from(index.hashes.buffer, index.hashes.byteOffset, count * 4).copy(buf, at);
  at += count * 4;
  buf.writeUInt32LE(crc32(buf.subarray(0, at)), at);
  return buf;
}

/** Parse an index file; null when it is damaged or not an index. */
export function decodeIndexFile(data: Uint8Array): IndexFile | null {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < HEADER_BYTES + 4 || !buf.subarray(0, 8).equals(MAGIC)) return null;
  const end = buf.length - 4;
  if (crc32(buf.subarray(0, end)) !== buf.readUInt32LE(end)) return null;
  const from = buf.readDoubleLE(8);
  const to = buf.readDoubleLE(16);
  const covered_bytes = buf.readDoubleLE(24);
  const blockCount = buf.readUInt32LE(32);
  const count = to - from + 1;
  if (!Number.isSafeInteger(from) || from < 1 || to < from - 1) return null;
  if (HEADER_BYTES + blockCount * BLOCK_BYTES + count * 12 !== end) return null;
  const blocks: ArchiveBlock[] = [];
  let at = HEADER_BYTES;
  for (let i = 0; i < blockCount; i++) {
    blocks.push({
      first_seq: buf.readDoubleLE(at),
      offset: buf.readDoubleLE(at + 8),
      gz_offset: buf.readDoubleLE(at + 16),
      gz_length: buf.readUInt32LE(at + 24),
      length: buf.readUInt32LE(at + 28),
    });
    at += BLOCK_BYTES;
  }
  const offsets = new Float64Array(count);
  Buffer.from(offsets.buffer).set(buf.subarray(at, at + count * 8));
  at += count * 8;
  const hashes = new Int32Array(count);
  Buffer.from(hashes.buffer).set(buf.subarray(at, at + count * 4));
  return { from, to, covered_bytes, blocks, offsets, hashes };
}
