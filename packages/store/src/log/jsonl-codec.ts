/**
 * The byte format of one log line (pinned in docs/format.md). Pure: no disk, no clock.
 *
 * Invariants of a line:
 * - one compact JSON object, keys in the order v, seq, at, actor, path, version, [base],
 *   mutation_id, fp, changes, crc, terminated by a single "\n" that is not part of the line;
 * - `crc` is CRC-32 (IEEE, as zlib) of the line's UTF-8 bytes before `,"crc":`, written as 8
 *   lowercase hex digits; so every line ends with `,"crc":"xxxxxxxx"}` (18 bytes);
 * - `seq` is gapless from 1 (from the meta file's `first_seq` in an imported original workspace)
 *   and `path` is canonical; the store checks both when it reads.
 */
import { crc32 } from 'node:zlib';
import { assertNever, type Change, isCanonicalPath, type LabelRecord } from '@lenslet/core';
import { readCanonicalRecord } from './canonical-line.ts';
import { internString } from './interner.ts';
import { recordShapeProblem } from './record-shape.ts';

/** Length of the `,"crc":"xxxxxxxx"}` suffix in bytes. */
export const CRC_SUFFIX_BYTES = 18;

const COMMA = 0x2c;
const QUOTE = 0x22;
const CLOSE = 0x7d;
const CRC_KEY = Buffer.from(',"crc":"');

/** CRC-32 of `data` as 8 lowercase hex digits. */
export function crcHex(data: string | Uint8Array): string {
  return crc32(data).toString(16).padStart(8, '0');
}

const str = JSON.stringify;

function encodeChange(change: Change): string {
  switch (change.kind) {
    case 'star_set':
      return `{"kind":"star_set","star":${change.star},"from":${change.from}}`;
    case 'notes_set':
      return `{"kind":"notes_set","notes":${str(change.notes)},"from":${str(change.from)}}`;
    case 'tags_set':
      return `{"kind":"tags_set","tags":${str(change.tags)},"from":${str(change.from)}}`;
    case 'tags_added':
      return `{"kind":"tags_added","tags":${str(change.tags)}}`;
    case 'tags_removed':
      return `{"kind":"tags_removed","tags":${str(change.tags)}}`;
    case 'metrics_set':
      return `{"kind":"metrics_set","metrics":${str(change.metrics)},"from":${str(change.from)}}`;
    default:
      return assertNever(change);
  }
}

/** The line of a record up to its crc field (what the crc covers). */
export function encodeRecordBody(record: LabelRecord): string {
  const base = record.base === undefined ? '' : `,"base":${record.base}`;
  return (
    `{"v":1,"seq":${record.seq},"at":${str(record.at)},"actor":${str(record.actor)}` +
    `,"path":${str(record.path)},"version":${record.version}${base}` +
    `,"mutation_id":${str(record.mutation_id)},"fp":${str(record.fp)}` +
    `,"changes":[${record.changes.map(encodeChange).join(',')}]`
  );
}

/** The line of a record, without the trailing newline. */
export function encodeRecord(record: LabelRecord): string {
  const body = encodeRecordBody(record);
  return `${body},"crc":"${crcHex(body)}"}`;
}

/** A decoded line, or why it is not a record. */
export type DecodedLine =
  | { readonly ok: true; readonly record: LabelRecord }
  | { readonly ok: false; readonly problem: string };

/** Decode one line (no trailing newline); `lineNo` (1-based) only goes into the problem text. */
export function decodeLine(line: string, lineNo: number): DecodedLine {
  const bytes = Buffer.from(line, 'utf8');
  return decodeLineBytes(bytes, 0, bytes.length, lineNo);
}

/** Value of one lowercase hex digit byte, or -1. */
function hexDigit(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/** The 8 hex digits at buf[at, at+8) as a number, or -1 when they are not hex. */
function readCrc(buf: Buffer, at: number): number {
  let value = 0;
  for (let i = at; i < at + 8; i++) {
    const digit = hexDigit(buf[i]!);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

function failure(lineNo: number, problem: string): DecodedLine {
  return { ok: false, problem: `line ${lineNo}: ${problem}` };
}

/** Whether `,"crc":"` starts at buf[at] (a byte loop: `Buffer.compare` costs more per line). */
function crcKeyAt(buf: Buffer, at: number): boolean {
  for (let i = 0; i < CRC_KEY.length; i++) if (buf[at + i] !== CRC_KEY[i]) return false;
  return true;
}

/** Something that already knows canonical paths (e.g. the item map being folded). */
export type KnownPaths = { has(path: string): boolean };

/**
 * Decode the line in `buf[start, end)` (no trailing newline). Paths in `known` were checked
 * before and are not checked again (the check normalizes Unicode: the dearest part of decoding).
 */
export function decodeLineBytes(
  buf: Buffer,
  start: number,
  end: number,
  lineNo: number,
  known?: KnownPaths,
): DecodedLine {
  const bodyEnd = end - CRC_SUFFIX_BYTES;
  if (
    bodyEnd <= start ||
    buf[end - 1] !== CLOSE ||
    buf[end - 2] !== QUOTE ||
    buf[bodyEnd] !== COMMA ||
    !crcKeyAt(buf, bodyEnd)
  ) {
    return failure(lineNo, 'the line does not end with a crc field');
  }
  const written = readCrc(buf, end - 10);
  const actual = crc32(buf.subarray(start, bodyEnd));
  if (written !== actual) {
    return failure(
      lineNo,
      `crc mismatch (line says ${buf.toString('latin1', end - 10, end - 2)}, bytes give ${actual.toString(16).padStart(8, '0')})`,
    );
  }
  // A line as `encodeRecord` writes it is read byte by byte (canonical-line.ts); any other line
  // is parsed and checked below, with the same result when both apply.
  const fast = readCanonicalRecord(buf, start, bodyEnd, known);
  if (fast !== null) return { ok: true, record: fast };
  return decodeParsedLine(buf, start, end, lineNo, known);
}

/** The general path of `decodeLineBytes` (crc already checked): JSON.parse and the shape check. */
export function decodeParsedLine(
  buf: Buffer,
  start: number,
  end: number,
  lineNo: number,
  known?: KnownPaths,
): DecodedLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8', start, end));
  } catch {
    return failure(lineNo, 'not valid JSON');
  }
  const problem = recordShapeProblem(parsed, true);
  if (problem !== null) return failure(lineNo, problem);
  const o = parsed as LabelRecord;
  if (!known?.has(o.path) && !isCanonicalPath(o.path)) {
    return failure(lineNo, `path ${str(o.path)} is not canonical`);
  }
  // Names and tags are shared: labels rebuilt from records keep them as long as the image lives.
  const actor = internString(o.actor);
  for (const change of o.changes) {
    if ('tags' in change)
      (change as { tags: readonly string[] }).tags = change.tags.map(internString);
  }
  // A fresh object without `crc`, always in the same shape (fast property access later).
  const record: LabelRecord =
    o.base === undefined
      ? {
          v: 1,
          seq: o.seq,
          at: o.at,
          actor,
          path: o.path,
          version: o.version,
          mutation_id: o.mutation_id,
          fp: o.fp,
          changes: o.changes,
        }
      : {
          v: 1,
          seq: o.seq,
          at: o.at,
          actor,
          path: o.path,
          version: o.version,
          base: o.base,
          mutation_id: o.mutation_id,
          fp: o.fp,
          changes: o.changes,
        };
  return { ok: true, record };
}
