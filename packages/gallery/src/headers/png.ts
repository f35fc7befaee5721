/** PNG: the 8-byte signature, then IHDR (always the first chunk) holds width and height. */
import { fourcc, type Size, u32be } from './bytes.ts';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && SIGNATURE.every((v, i) => b[i] === v);
}

/** Size from IHDR, or null when the header is not a valid PNG start. */
export function pngSize(b: Uint8Array): Size | null {
  if (!isPng(b) || fourcc(b, 12) !== 'IHDR') return null;
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  return width > 0 && height > 0 ? { width, height } : null;
}
