/**
 * The prompt the gallery index keeps per image, so searches can match it without opening files:
 * read during the scan's header read with the same walkers as `/metadata`, but lighter — text
 * chunks only for PNG, APP1/COM segments up to the frame header for JPEG, nothing for a WebP
 * whose VP8X flags announce no EXIF/XMP — and within a small budget. The bytes the dimension
 * read already holds (`head`) are not read again.
 */
import type { ImageFormat } from '../formats.ts';
import { fourcc, u16be, u32be } from '../headers/bytes.ts';
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

const PNG_TEXT = new Set(['tEXt', 'zTXt', 'iTXt']);
/**
 * PNG keywords that settle the prompt (generation.ts reads them first): the walk stops there,
 * so a ComfyUI `workflow` chunk (often 20–200 KB) after its `prompt` chunk is not read.
 */
const SETTLING_KEYWORDS: ReadonlySet<string> = new Set(['parameters', 'prompt']);

/**
 * False when the file's first bytes show it holds no metadata the index reads — a PNG whose
 * chunks reach IDAT without a text chunk, a JPEG whose segments reach the frame header without an
 * APP1 or COM segment, a WebP without EXIF/XMP flags — so a plain file costs no parsing at all.
 * True when it may (including when the head ends before that is known).
 */
export function mayHavePrompt(format: ImageFormat, head: Uint8Array): boolean {
  if (format === 'png') {
    for (let at = 8; at + 8 <= head.length; at += 12 + u32be(head, at)) {
      const type = fourcc(head, at + 4);
      if (type === 'IDAT' || type === 'IEND') return false;
      if (PNG_TEXT.has(type)) return true;
    }
    return true;
  }
  if (format === 'jpeg') {
    let at = 2;
    while (at + 4 <= head.length && head[at] === 0xff) {
      const marker = head[at + 1]!;
      if (marker === 0xe1 || marker === 0xfe) return true;
      if (
        marker >= 0xc0 &&
        marker <= 0xcf &&
        marker !== 0xc4 &&
        marker !== 0xc8 &&
        marker !== 0xcc
      ) {
        return false;
      }
      if (marker === 0xda || marker === 0xd9) return false;
      const standalone = marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
      at += marker === 0xff ? 1 : standalone ? 2 : 2 + u16be(head, at + 2);
    }
    return true;
  }
  if (format === 'webp') return fourcc(head, 12) === 'VP8X' && ((head[20] ?? 0) & 0x0c) !== 0;
  return false;
}

/** The positive prompt embedded in a PNG, JPEG or WebP file (cut to the index limit), or null. */
export function* indexPromptSteps(format: ImageFormat, head: Uint8Array): Steps<string | null> {
  const budget = newBudget(SCAN_BYTES, SCAN_READS);
  const warnings = new Warnings();
  const base = { budget, warnings, head, textOnly: true };
  let sources: Parameters<typeof findGeneration>[0];
  if (format === 'png') {
    const png = yield* pngSteps({
      ...base,
      inflate: { left: SCAN_BYTES },
      stopAfter: SETTLING_KEYWORDS,
    });
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
