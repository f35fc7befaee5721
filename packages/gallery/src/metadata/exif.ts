/**
 * EXIF: a TIFF block (optionally behind the `Exif\0\0` header of a JPEG APP1 or some WebP EXIF
 * chunks). IFD0 and the Exif IFD are flattened into one object of named tags; the GPS IFD is
 * nested as `GPSInfo`. Pointer tags and the thumbnail IFD are left out. Every offset is checked
 * against the block; a bad entry is skipped with a warning, never followed outside the block.
 */
import { u16be, u16le, u32be, u32le } from '../headers/bytes.ts';
import {
  EXIF_IFD_POINTER,
  GPS_IFD_POINTER,
  GPS_TAG_NAMES,
  INTEROP_IFD_POINTER,
  TIFF_TAG_NAMES,
  USER_COMMENT,
  XP_TAGS,
} from './exif-tags.ts';
import { MAX_EXIF_LIST, MAX_IFD_ENTRIES } from './limits.ts';
import type { Warnings } from './read-steps.ts';
import { guessText, latin1, trimNuls, utf16Text } from './text-decode.ts';
import type { ExifFields, ExifValue } from './types.ts';

/** Bytes per value of each TIFF field type (index = type; 0 = unknown type). */
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
const MAX_TEXT_UNDEFINED = 4096;

type Tiff = {
  readonly b: Uint8Array;
  readonly le: boolean;
  readonly warnings: Warnings;
  readonly seen: Set<number>;
};

const r16 = (t: Tiff, i: number) => (t.le ? u16le(t.b, i) : u16be(t.b, i));
const r32 = (t: Tiff, i: number) => (t.le ? u32le(t.b, i) : u32be(t.b, i));

/** Strip an `Exif\0\0` header; null when what remains is not a TIFF header. */
export function tiffBlock(bytes: Uint8Array): Uint8Array | null {
  let b = bytes;
  if (latin1(b.subarray(0, 6)) === 'Exif\0\0') b = b.subarray(6);
  const order = latin1(b.subarray(0, 2));
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  return (le ? u16le(b, 2) : u16be(b, 2)) === 42 ? b : null;
}

/** UserComment: an 8-byte character code (ASCII, UNICODE, JIS or none), then the text. */
export function decodeUserComment(bytes: Uint8Array, le: boolean): string {
  if (bytes.length < 8) return trimNuls(guessText(bytes));
  const code = latin1(bytes.subarray(0, 8));
  const body = bytes.subarray(8);
  let text: string;
  if (code.startsWith('UNICODE')) text = utf16Text(body, le);
  else if (code.startsWith('JIS')) text = shiftJis(body);
  else if (code.startsWith('ASCII') || code === '\0\0\0\0\0\0\0\0') text = guessText(body);
  else text = guessText(bytes);
  return trimNuls(text);
}

function shiftJis(b: Uint8Array): string {
  try {
    return new TextDecoder('shift_jis').decode(b);
  } catch {
    return guessText(b);
  }
}

function isPlainText(b: Uint8Array): boolean {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  for (let i = 0; i < end; i++) {
    const c = b[i]!;
    if (c < 0x20 ? c !== 9 && c !== 10 && c !== 13 : c > 0x7e) return false;
  }
  return true;
}

function numberAt(t: Tiff, type: number, i: number): number | string {
  const b = t.b;
  switch (type) {
    case 1:
    case 7:
      return b[i]!;
    case 6:
      return (b[i]! << 24) >> 24;
    case 3:
      return r16(t, i);
    case 8:
      return (r16(t, i) << 16) >> 16;
    case 4:
    case 13:
      return r32(t, i);
    case 9:
      return r32(t, i) | 0;
    case 5:
    case 10: {
      const signed = type === 10;
      const num = signed ? r32(t, i) | 0 : r32(t, i);
      const den = signed ? r32(t, i + 4) | 0 : r32(t, i + 4);
      return den === 0 ? `${num}/0` : num / den;
    }
    case 11:
      return new DataView(b.buffer, b.byteOffset + i, 4).getFloat32(0, t.le);
    default:
      return new DataView(b.buffer, b.byteOffset + i, 8).getFloat64(0, t.le);
  }
}

function tagValue(t: Tiff, tag: number, type: number, count: number, at: number): ExifValue {
  const size = TYPE_SIZE[type]!;
  const raw = t.b.subarray(at, at + count * size);
  if (type === 2) return trimNuls(guessText(raw));
  if (tag === USER_COMMENT) return decodeUserComment(raw, t.le);
  if (XP_TAGS.has(tag) && (type === 1 || type === 7)) return trimNuls(utf16Text(raw, true));
  if (type === 7) {
    return raw.length <= MAX_TEXT_UNDEFINED && isPlainText(raw)
      ? trimNuls(latin1(raw))
      : `bytes[${raw.length}]`;
  }
  if (count === 1) return numberAt(t, type, at);
  if (count > MAX_EXIF_LIST) return `values[${count}]`;
  return Array.from({ length: count }, (_, k) => numberAt(t, type, at + k * size));
}

/** Read the IFD at `offset` into `out`; follows the Exif and GPS pointers once each. */
function readIfd(
  t: Tiff,
  offset: number,
  out: Record<string, ExifValue>,
  names: ReadonlyMap<number, string>,
): void {
  if (t.seen.has(offset) || t.seen.size > 8) {
    t.warnings.add(`EXIF: IFD at ${offset} is referenced twice`);
    return;
  }
  t.seen.add(offset);
  const declared = r16(t, offset);
  if (declared < 0) {
    t.warnings.add(`EXIF: IFD at ${offset} is outside the EXIF block`);
    return;
  }
  if (declared > MAX_IFD_ENTRIES) t.warnings.add(`EXIF: IFD at ${offset} has ${declared} entries`);
  const count = Math.min(declared, MAX_IFD_ENTRIES);
  for (let k = 0; k < count; k++) {
    const e = offset + 2 + k * 12;
    if (e + 12 > t.b.length) {
      t.warnings.add(`EXIF: IFD at ${offset} is cut off after ${k} entries`);
      return;
    }
    const tag = r16(t, e);
    const type = r16(t, e + 2);
    const n = r32(t, e + 4);
    const size = TYPE_SIZE[type] ?? 0;
    if (size === 0) continue;
    const total = n * size;
    const at = total <= 4 ? e + 8 : r32(t, e + 8);
    if (at < 0 || at + total > t.b.length) {
      t.warnings.add(`EXIF: tag ${tag} points outside the EXIF block`);
      continue;
    }
    if (tag === EXIF_IFD_POINTER || tag === GPS_IFD_POINTER || tag === INTEROP_IFD_POINTER) {
      if (names !== TIFF_TAG_NAMES || tag === INTEROP_IFD_POINTER || n < 1) continue;
      const sub = r32(t, at);
      if (tag === EXIF_IFD_POINTER) readIfd(t, sub, out, TIFF_TAG_NAMES);
      else {
        const gps: Record<string, ExifValue> = {};
        readIfd(t, sub, gps, GPS_TAG_NAMES);
        out.GPSInfo = gps;
      }
      continue;
    }
    out[names.get(tag) ?? String(tag)] = tagValue(t, tag, type, n, at);
  }
}

/** The named tags of an EXIF block; `{}` (and a warning) when it is not one. */
export function parseExif(bytes: Uint8Array, warnings: Warnings): ExifFields {
  const b = tiffBlock(bytes);
  if (b === null) {
    warnings.add('EXIF block does not start with a TIFF header');
    return {};
  }
  const t: Tiff = { b, le: b[0] === 0x49, warnings, seen: new Set() };
  const out: Record<string, ExifValue> = {};
  readIfd(t, r32(t, 4), out, TIFF_TAG_NAMES);
  return out;
}
