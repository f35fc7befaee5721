/**
 * The first record of a stretch of log bytes that starts at a line start, skipping group frames
 * (group-frame.ts): what the workspace scan reads as the live log's first seq, and what checks a
 * snapshot's offset hint.
 */
import type { LabelRecord } from '@lenslet/core';
import { isFrameLine } from './group-frame.ts';
import { decodeLineBytes } from './jsonl-codec.ts';

/**
 * The record on the first line of `head` that is not a frame; null when that line is not a valid
 * record; undefined when `head` ends before such a line is complete.
 */
export function firstRecord(head: Buffer): LabelRecord | null | undefined {
  let start = 0;
  for (let nl = head.indexOf(0x0a); nl !== -1; nl = head.indexOf(0x0a, start)) {
    if (!isFrameLine(head, start, nl)) {
      const decoded = decodeLineBytes(head, start, nl, 1);
      return decoded.ok ? decoded.record : null;
    }
    start = nl + 1;
  }
  return undefined;
}
