/**
 * JPEG: SOI (ff d8), then marker segments `ff <marker> <u16 length> <payload>` until the frame
 * header (SOF0–SOF15 except DHT/JPG/DAC) gives height and width. APP1 'Exif' may carry the EXIF
 * orientation (tag 0x0112 in IFD0); orientations 5–8 rotate by 90°, so the displayed width and
 * height are the stored ones swapped.
 *
 * Segments before the frame header can be large (EXIF thumbnails, ICC profiles), so the parser
 * works on a window of the file and asks for the bytes it needs next instead of reading it all.
 */
import { type Need, type Size, u16be, u16le, u32be, u32le } from './bytes.ts';

/** Bytes requested per step: a few KB cover the gap between two large segments. */
export const JPEG_STEP_BYTES = 4096;
/** Largest APP1 window re-read to find the orientation tag. */
const MAX_EXIF_BYTES = 65_538;

export type JpegStep =
  | { readonly kind: 'size'; readonly size: Size; readonly orientation: number }
  | { readonly kind: 'need'; readonly need: Need; readonly orientation: number }
  | { readonly kind: 'invalid' };

export function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

function isFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** 1–8 from an Exif APP1 payload (starting at 'Exif'), 1 when absent, -1 when cut off. */
export function exifOrientation(b: Uint8Array, start: number, end: number): number {
  const view = b.subarray(start, Math.min(end, b.length));
  if (view.length < 14) return end > b.length ? -1 : 1;
  if (String.fromCharCode(...view.subarray(0, 4)) !== 'Exif') return 1;
  const t = 6;
  const order = String.fromCharCode(view[t]!, view[t + 1]!);
  if (order !== 'II' && order !== 'MM') return 1;
  const le = order === 'II';
  const r16 = (i: number) => (le ? u16le(view, i) : u16be(view, i));
  const r32 = (i: number) => (le ? u32le(view, i) : u32be(view, i));
  if (r16(t + 2) !== 42) return 1;
  const ifd = t + r32(t + 4);
  const count = r16(ifd);
  if (count < 0) return end > b.length ? -1 : 1;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    const tag = r16(entry);
    if (tag < 0) return end > b.length ? -1 : 1;
    if (tag === 0x0112) {
      const value = r16(entry + 8);
      if (value < 0) return end > b.length ? -1 : 1;
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/**
 * Parse segments in window `b` (file bytes from offset `base`), starting at file offset `from`,
 * which must be a marker boundary (2 right after SOI). `orientation` carries over between steps.
 */
export function stepJpeg(b: Uint8Array, base: number, from: number, orientation = 1): JpegStep {
  let p = from - base;
  let orient = orientation;
  const need = (at: number, length = JPEG_STEP_BYTES): JpegStep => ({
    kind: 'need',
    need: { offset: base + at, length },
    orientation: orient,
  });
  for (;;) {
    if (p < 0) return { kind: 'invalid' };
    if (p + 4 > b.length) return need(p);
    if (b[p] !== 0xff) return { kind: 'invalid' };
    while (p + 1 < b.length && b[p + 1] === 0xff) p++;
    if (p + 4 > b.length) return need(p);
    const marker = b[p + 1]!;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    if (marker === 0xd8 || marker === 0xd9 || marker === 0xda) return { kind: 'invalid' };
    const length = u16be(b, p + 2);
    if (length < 2) return { kind: 'invalid' };
    if (isFrameHeader(marker)) {
      if (p + 9 > b.length) return need(p, 16);
      const height = u16be(b, p + 5);
      const width = u16be(b, p + 7);
      if (width <= 0 || height <= 0) return { kind: 'invalid' };
      const swap = orient >= 5 && orient <= 8;
      return {
        kind: 'size',
        size: swap ? { width: height, height: width } : { width, height },
        orientation: orient,
      };
    }
    if (marker === 0xe1 && orient === 1) {
      const found = exifOrientation(b, p + 4, p + 2 + length);
      // Cut off mid-IFD: re-read the whole segment once, from its marker.
      if (found === -1 && p !== 0) return need(p, Math.min(length + 2, MAX_EXIF_BYTES));
      if (found > 0) orient = found;
    }
    p += 2 + length;
  }
}

/** Size of a JPEG held wholly (or far enough) in `b`, or null. */
export function jpegSize(b: Uint8Array): { size: Size; orientation: number } | null {
  if (!isJpeg(b)) return null;
  const step = stepJpeg(b, 0, 2);
  return step.kind === 'size' ? { size: step.size, orientation: step.orientation } : null;
}
