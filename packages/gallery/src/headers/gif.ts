/** GIF: 'GIF87a' or 'GIF89a', then the logical screen width and height (little-endian). */
import { type Size, u16le } from './bytes.ts';

export function isGif(b: Uint8Array): boolean {
  if (b.length < 6) return false;
  const sig = String.fromCharCode(...b.subarray(0, 6));
  return sig === 'GIF87a' || sig === 'GIF89a';
}

/** Logical screen size (the canvas every frame is drawn on), or null. */
export function gifSize(b: Uint8Array): Size | null {
  if (!isGif(b)) return null;
  const width = u16le(b, 6);
  const height = u16le(b, 8);
  return width > 0 && height > 0 ? { width, height } : null;
}
