/**
 * The group frame (docs/format.md, "Group frames"): every group commit writes one frame line in
 * front of its records, in the same write:
 *
 *   {"group":<bytes>,"durable":<offset>,"crc":"xxxxxxxx"}
 *
 * Invariants of a frame line:
 * - `group` is the byte length of the record lines that follow it in the same write (each with
 *   its "\n"), so a group whose bytes are not all there and intact is an interrupted write;
 * - `durable` is the byte offset in this file up to which every byte had been fdatasynced when
 *   the group was written (so it is at most the frame's own offset): everything before it was
 *   acknowledgeable, everything from it on was not yet — the evidence recovery needs to tell an
 *   interrupted write from damage to acknowledged records;
 * - `crc` is CRC-32 of the line before `,"crc"`, as for records (jsonl-codec.ts).
 * A frame is not a record: it has no seq, and readers skip it. A live log this version creates
 * starts with an empty frame (`FILE_HEADER`, synced with the file's creation), so its first line
 * already says that every group in it is framed. Logs written before frames existed have none
 * and stay readable (their torn-tail rule is the old, stricter one).
 */
import { crc32 } from 'node:zlib';
import type { FsHandle } from '../port/fs-port.ts';
import { CRC_SUFFIX_BYTES, crcHex } from './jsonl-codec.ts';

export type Frame = {
  /** Bytes of record lines after the frame line. */
  readonly group: number;
  /** Durable offset in the file when the group was written. */
  readonly durable: number;
};

const PREFIX = Buffer.from('{"group":');
const DURABLE_KEY = ',"durable":';
const CRC_KEY = ',"crc":"';
/** `g`, the byte after `{"` that tells a frame line from a record line (`{"v":`). */
const FRAME_MARK = 0x67;

/** The frame line (without "\n") for a group of `groupBytes` written when `durable` bytes were synced. */
export function encodeFrame(groupBytes: number, durable: number): string {
  const body = `{"group":${groupBytes}${DURABLE_KEY}${durable}`;
  return `${body}${CRC_KEY}${crcHex(body)}"}`;
}

/** The first line of a live log this version creates: an empty group, nothing durable before it. */
export const FILE_HEADER: Buffer = Buffer.from(`${encodeFrame(0, 0)}\n`, 'latin1');

/** Start a new, empty live log: its header frame, synced. Resolves the offset to append at. */
export async function writeFileHeader(handle: FsHandle): Promise<number> {
  await handle.write(FILE_HEADER, 0);
  await handle.datasync();
  return FILE_HEADER.length;
}

/**
 * The bytes one group commit writes: its frame line, then `text` (whole record lines, whose UTF-8
 * length the caller may already know).
 */
export function frameGroup(
  text: string,
  durable: number,
  textBytes = Buffer.byteLength(text, 'utf8'),
): Buffer {
  const frame = encodeFrame(textBytes, durable);
  // One buffer, written in two parts: no joined string to flatten first.
  const data = Buffer.allocUnsafe(frame.length + 1 + textBytes);
  data.write(frame, 0, 'latin1');
  data[frame.length] = 0x0a;
  data.write(text, frame.length + 1, 'utf8');
  return data;
}

/** Does the line at buf[start] look like a frame (cheap test on the first bytes)? */
export function isFrameLine(buf: Uint8Array, start: number, end: number): boolean {
  return (
    end - start > PREFIX.length &&
    buf[start + 2] === FRAME_MARK &&
    Buffer.from(buf.buffer, buf.byteOffset + start, PREFIX.length).equals(PREFIX)
  );
}

/** Digits of a non-negative integer at buf[at…) up to `stop`, or -1. */
function readCount(buf: Uint8Array, at: number, stop: number): number {
  if (at >= stop || (buf[at] === 0x30 && stop - at > 1)) return -1;
  let value = 0;
  for (let i = at; i < stop; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return stop - at > 15 ? -1 : value;
}

/** The frame in buf[start, end) (no "\n"), or null when the line is not an intact frame. */
export function decodeFrame(buf: Uint8Array, start: number, end: number): Frame | null {
  if (!isFrameLine(buf, start, end)) return null;
  const bodyEnd = end - CRC_SUFFIX_BYTES;
  if (bodyEnd <= start + PREFIX.length) return null;
  const line = Buffer.from(buf.buffer, buf.byteOffset + start, end - start);
  const body = bodyEnd - start;
  if (line.toString('latin1', body, body + CRC_KEY.length) !== CRC_KEY) return null;
  if (line[line.length - 1] !== 0x7d || line[line.length - 2] !== 0x22) return null;
  const written = Number.parseInt(line.toString('latin1', line.length - 10, line.length - 2), 16);
  if (!/^[0-9a-f]{8}$/.test(line.toString('latin1', line.length - 10, line.length - 2)))
    return null;
  if (crc32(line.subarray(0, body)) !== written) return null;
  const keyAt = line.indexOf(DURABLE_KEY, PREFIX.length, 'latin1');
  if (keyAt === -1 || keyAt > body) return null;
  const group = readCount(line, PREFIX.length, keyAt);
  const durable = readCount(line, keyAt + DURABLE_KEY.length, body);
  return group < 0 || durable < 0 ? null : { group, durable };
}
