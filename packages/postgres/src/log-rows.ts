/**
 * Rows of `lenslet_log`. The `line` column holds the record's JSONL line exactly as the JSONL
 * store writes it (encodeRecord, crc included), so exports and `replay` are byte-identical between
 * the two stores, and every line read back is checked (crc, shape, canonical path, seq).
 */
import { type LabelRecord, LensletError } from '@lenslet/core';
import { decodeLine } from '@lenslet/store';

export type LogRow = { readonly seq: string | number; readonly line: string };

/** Decode rows read in seq order; a line that fails its checks is `corrupt_log`. */
export function decodeRows(rows: readonly LogRow[]): LabelRecord[] {
  return rows.map((row) => {
    const seq = Number(row.seq);
    const decoded = decodeLine(row.line, seq);
    if (!decoded.ok) {
      throw new LensletError('corrupt_log', `lenslet_log row ${seq}: ${decoded.problem}`);
    }
    if (decoded.record.seq !== seq) {
      throw new LensletError(
        'corrupt_log',
        `lenslet_log row ${seq} holds a line with seq ${decoded.record.seq}`,
      );
    }
    return decoded.record;
  });
}
