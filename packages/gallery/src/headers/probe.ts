/**
 * Format detection by magic bytes and the one-shot size probe for the formats whose size sits in
 * the first bytes. JPEG and AVIF may need more reads; `read-dimensions.ts` drives their steps.
 */
import type { ImageFormat } from '../formats.ts';
import { isAvif } from './avif.ts';
import type { Size } from './bytes.ts';
import { gifSize, isGif } from './gif.ts';
import { isJpeg } from './jpeg.ts';
import { isPng, pngSize } from './png.ts';
import { isWebp, webpSize } from './webp.ts';

/** The image format of a file start, or null when it is none we serve. */
export function detectFormat(b: Uint8Array): ImageFormat | null {
  if (isJpeg(b)) return 'jpeg';
  if (isPng(b)) return 'png';
  if (isGif(b)) return 'gif';
  if (isWebp(b)) return 'webp';
  if (isAvif(b)) return 'avif';
  return null;
}

/** Size of a PNG, GIF or WebP from its first bytes (30 are enough). */
export function fixedHeaderSize(format: 'png' | 'gif' | 'webp', b: Uint8Array): Size | null {
  if (format === 'png') return pngSize(b);
  if (format === 'gif') return gifSize(b);
  return webpSize(b);
}
