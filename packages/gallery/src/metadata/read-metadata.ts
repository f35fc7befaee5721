/**
 * Embedded metadata of an image file, reading only its headers: the container walk for the
 * format (PNG chunks up to IDAT, JPEG segments up to SOS, WebP chunk headers), then EXIF and the
 * generation parsed from what was read. Bounded by `limits.ts`; anything malformed becomes a
 * warning in the answer. GIF and AVIF are recognised but not read (format only).
 */
import { open } from 'node:fs/promises';
import { detectFormat } from '../headers/probe.ts';
import { runOnBytes, runOnFile } from './drive.ts';
import { parseExif } from './exif.ts';
import { findGeneration } from './generation.ts';
import { jpegSteps } from './jpeg-walk.ts';
import { MAX_INFLATED_BYTES } from './limits.ts';
import { pngSteps, XMP_KEYWORD } from './png-walk.ts';
import { newBudget, type ReadBudget, readAt, type Steps, Warnings } from './read-steps.ts';
import type { ExifFields, ImageMetadata, TextChunk } from './types.ts';
import { webpSteps } from './webp-walk.ts';

/** Bytes enough to tell the formats apart (AVIF needs its ftyp box). */
const PROBE_BYTES = 32;

/** The steps of one metadata read; null when the file is no image format we know. */
export function* metadataSteps(budget: ReadBudget = newBudget()): Steps<ImageMetadata | null> {
  const format = detectFormat(yield* readAt(budget, 0, PROBE_BYTES));
  if (format === null) return null;
  const warnings = new Warnings();
  const inflate = { left: MAX_INFLATED_BYTES };
  let chunks: readonly TextChunk[] = [];
  let exifBytes: Uint8Array | null = null;
  let xmp: string | null = null;
  let container: Record<string, unknown> = {};
  let comments: readonly string[] = [];
  if (format === 'png') {
    const png = yield* pngSteps({ budget, warnings, inflate });
    chunks = png.chunks;
    exifBytes = png.exif;
    xmp = chunks.find((c) => c.keyword === XMP_KEYWORD)?.text ?? null;
    container = png.info;
  } else if (format === 'jpeg') {
    const jpeg = yield* jpegSteps({ budget, warnings });
    ({ exif: exifBytes, xmp, info: container, comments } = jpeg);
  } else if (format === 'webp') {
    const webp = yield* webpSteps({ budget, warnings });
    ({ exif: exifBytes, xmp, info: container } = webp);
  }
  const exif: ExifFields | null = exifBytes === null ? null : parseExif(exifBytes, warnings);
  const generation = findGeneration({ chunks, exif, xmp, comments }, warnings);
  return {
    format,
    text_chunks: chunks,
    exif,
    xmp,
    container,
    comments,
    generation,
    warnings: warnings.done(),
  };
}

/** Metadata of an image held in memory (tests, uploads). */
export function readMetadataFromBytes(bytes: Uint8Array): ImageMetadata | null {
  return runOnBytes(metadataSteps(), bytes);
}

/** Metadata of the image file at `file`; null when it is no image. Throws on I/O errors. */
export async function readImageMetadata(file: string): Promise<ImageMetadata | null> {
  const handle = await open(file, 'r');
  try {
    return await runOnFile(metadataSteps(), handle);
  } finally {
    await handle.close();
  }
}
