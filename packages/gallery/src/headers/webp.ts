/**
 * WebP: a RIFF container whose first chunk is one of
 * - 'VP8 ' (lossy): a key frame starting 9d 01 2a, then 14-bit width and height;
 * - 'VP8L' (lossless): signature 0x2f, then 14-bit width-1 and height-1 packed in 28 bits;
 * - 'VP8X' (extended: alpha, animation, metadata): 24-bit canvas width-1 and height-1.
 */
import { fourcc, type Size, u8, u16le, u24le, u32le } from './bytes.ts';

export function isWebp(b: Uint8Array): boolean {
  return fourcc(b, 0) === 'RIFF' && fourcc(b, 8) === 'WEBP';
}

/** Size from the first chunk, or null when it is missing or malformed. */
export function webpSize(b: Uint8Array): Size | null {
  if (!isWebp(b)) return null;
  const chunk = fourcc(b, 12);
  const data = 20;
  let size: Size | null = null;
  if (chunk === 'VP8 ') {
    if (u8(b, data + 3) !== 0x9d || u8(b, data + 4) !== 0x01 || u8(b, data + 5) !== 0x2a)
      return null;
    const w = u16le(b, data + 6);
    const h = u16le(b, data + 8);
    if (w >= 0 && h >= 0) size = { width: w & 0x3fff, height: h & 0x3fff };
  } else if (chunk === 'VP8L') {
    if (u8(b, data) !== 0x2f) return null;
    const bits = u32le(b, data + 1);
    if (bits >= 0) size = { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  } else if (chunk === 'VP8X') {
    const w = u24le(b, data + 4);
    const h = u24le(b, data + 7);
    if (w >= 0 && h >= 0) size = { width: w + 1, height: h + 1 };
  }
  return size && size.width > 0 && size.height > 0 ? size : null;
}
