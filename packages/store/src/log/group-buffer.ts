/**
 * The bytes of one group commit, encoded once: record lines go straight into one growing buffer
 * (UTF-8 encoded once, the crc computed over those bytes), with room kept in front for the group's
 * frame line, which is written there when the group is written (group-frame.ts). The result is
 * byte for byte `frameGroup` of the records' `encodeRecord` lines.
 */
import { crc32 } from 'node:zlib';
import type { LabelRecord } from '@lenslet/core';
import { encodeFrame } from './group-frame.ts';
import { encodeRecordBody } from './jsonl-codec.ts';

/** Room for the longest frame line and its "\n" (two 15-digit numbers). */
const FRAME_ROOM = 72;
const CRC_KEY = Buffer.from(',"crc":"', 'latin1');
const HEX = Buffer.from('0123456789abcdef', 'latin1');

export class GroupBuffer {
  #buf: Buffer;
  #at = FRAME_ROOM;
  /** Byte length of each line, in order. */
  readonly lengths: number[] = [];

  constructor(capacity = 16 * 1024) {
    this.#buf = Buffer.allocUnsafe(Math.max(capacity, FRAME_ROOM * 2));
  }

  /** Bytes of record lines so far. */
  get bytes(): number {
    return this.#at - FRAME_ROOM;
  }

  /** Append the record's line (`encodeRecord(record)` + "\n"). */
  record(record: LabelRecord): void {
    const body = encodeRecordBody(record);
    // UTF-8 needs at most 3 bytes per UTF-16 unit; + the crc suffix and "\n".
    this.#room(body.length * 3 + CRC_KEY.length + 11);
    const buf = this.#buf;
    const start = this.#at;
    const end = start + buf.write(body, start, 'utf8');
    const crc = crc32(buf.subarray(start, end));
    let at = end;
    for (let i = 0; i < CRC_KEY.length; i++) buf[at++] = CRC_KEY[i]!;
    for (let shift = 28; shift >= 0; shift -= 4) buf[at++] = HEX[(crc >>> shift) & 15]!;
    buf[at++] = 0x22; // "
    buf[at++] = 0x7d; // }
    buf[at++] = 0x0a; // \n
    this.lengths.push(at - start);
    this.#at = at;
  }

  /** Append `text` as it is (whole lines, UTF-8). */
  line(text: string): void {
    this.#room(text.length * 3);
    const n = this.#buf.write(text, this.#at, 'utf8');
    this.lengths.push(n);
    this.#at += n;
  }

  /** The group's bytes: its frame line (written `durable` bytes into the file), then the lines. */
  framed(durable: number): Buffer {
    const frame = encodeFrame(this.bytes, durable);
    const start = FRAME_ROOM - frame.length - 1;
    this.#buf.write(frame, start, 'latin1');
    this.#buf[FRAME_ROOM - 1] = 0x0a;
    return this.#buf.subarray(start, this.#at);
  }

  #room(more: number): void {
    if (this.#at + more <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#at + more) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.#buf.copy(grown, 0, 0, this.#at);
    this.#buf = grown;
  }
}
