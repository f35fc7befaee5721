/**
 * The prompt the gallery index keeps per image, so searches can match it without opening files:
 * read during the scan's header read with the same walkers as `/metadata`, but lighter — text
 * chunks only for PNG, APP1/COM segments up to the frame header for JPEG, nothing for a WebP
 * whose VP8X flags announce no EXIF/XMP — and within a small budget. The bytes the dimension
 * read already holds (`head`) are not read again.
 */
import type { ImageFormat } from '../formats.ts';
import { parseExif } from './exif.ts';
import { findGeneration } from './generation.ts';
import { jpegSteps } from './jpeg-walk.ts';
import { pngSteps, XMP_KEYWORD } from './png-walk.ts';
import { newBudget, type Steps, Warnings } from './read-steps.ts';
import { webpSteps } from './webp-walk.ts';

/** Characters of a prompt kept in the index (the rest is still in `/metadata`). */
export const INDEX_PROMPT_MAX_CHARS = 1024;
/** What the scan may spend on one file's prompt: bytes, reads, inflated bytes. */
const SCAN_BYTES = 1 << 20;
const SCAN_READS = 64;

/** The positive prompt embedded in a PNG, JPEG or WebP file (cut to the index limit), or null. */
export function* indexPromptSteps(format: ImageFormat, head: Uint8Array): Steps<string | null> {
  const budget = newBudget(SCAN_BYTES, SCAN_READS);
  const warnings = new Warnings();
  const base = { budget, warnings, head, textOnly: true };
  let sources: Parameters<typeof findGeneration>[0];
  if (format === 'png') {
    const png = yield* pngSteps({ ...base, inflate: { left: SCAN_BYTES } });
    const xmp = png.chunks.find((c) => c.keyword === XMP_KEYWORD)?.text ?? null;
    sources = { chunks: png.chunks, exif: null, xmp, comments: [] };
  } else if (format === 'jpeg' || format === 'webp') {
    const m =
      format === 'jpeg' ? yield* jpegSteps(base) : { ...(yield* webpSteps(base)), comments: [] };
    const exif = m.exif === null ? null : parseExif(m.exif, warnings);
    sources = { chunks: [], exif, xmp: m.xmp, comments: m.comments };
  } else {
    return null;
  }
  const prompt = findGeneration(sources, warnings)?.prompt ?? null;
  return prompt === null ? null : prompt.slice(0, INDEX_PROMPT_MAX_CHARS);
}
