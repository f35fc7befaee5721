/**
 * PNG chunk walk for metadata: from the signature to the first IDAT (or IEND), reading only the
 * payloads of the chunks it keeps — text (tEXt, zTXt, iTXt), eXIf, and the small ones the
 * original reported (pHYs, gAMA, sRGB, cHRM, iCCP) — and stepping over the rest by their length.
 * Text written after the image data is not read (a decoder would only see it after decoding).
 * A bad CRC is reported and the chunk still used; a cut-off or oversized chunk ends the walk.
 */
import { crc32 } from 'node:zlib';
import { fourcc, u32be } from '../headers/bytes.ts';
import { isPng } from '../headers/png.ts';
import { inflateCapped } from './inflate.ts';
import { decodeTextChunk, type InflateBudget, TEXT_CHUNK_TYPES } from './png-text.ts';
import {
  endedEarly,
  type ReadBudget,
  readAt,
  type Steps,
  shortRead,
  type Warnings,
} from './read-steps.ts';
import { indexOfNul } from './text-decode.ts';
import type { TextChunk } from './types.ts';

export type PngMeta = {
  readonly chunks: TextChunk[];
  /** What Pillow reports in `Image.info` for these chunks (text keywords, dpi, gamma, …). */
  readonly info: Record<string, unknown>;
  /** The eXIf chunk (a TIFF block), when present. */
  readonly exif: Uint8Array | null;
};

export type PngWalkOptions = {
  readonly budget: ReadBudget;
  readonly warnings: Warnings;
  readonly inflate: InflateBudget;
  /** The file's first bytes when already read (the scanner's header read). */
  readonly head?: Uint8Array;
  /** Keep text chunks only (the scanner's prompt index). */
  readonly textOnly?: boolean;
  /** Stop after a text chunk with one of these keywords (what the caller was looking for). */
  readonly stopAfter?: ReadonlySet<string>;
};

/** The iTXt keyword of an XMP packet (Pillow reports it as `info.xmp`). */
export const XMP_KEYWORD = 'XML:com.adobe.xmp';
const INFO_CHUNKS = new Set(['pHYs', 'gAMA', 'sRGB', 'cHRM', 'iCCP', 'eXIf']);

/** Pillow's `info` entries for the small chunks it parses. */
function infoOf(type: string, data: Uint8Array, meta: PngMeta, options: PngWalkOptions): void {
  const { info } = meta;
  if (type === 'pHYs' && data.length >= 9) {
    const x = u32be(data, 0);
    const y = u32be(data, 4);
    if (data[8] === 1) info.dpi = [x * 0.0254, y * 0.0254];
    else if (data[8] === 0) info.aspect = [x, y];
  } else if (type === 'gAMA' && data.length >= 4) {
    info.gamma = u32be(data, 0) / 100000;
  } else if (type === 'sRGB' && data.length >= 1) {
    info.srgb = data[0];
  } else if (type === 'cHRM' && data.length >= 32) {
    info.chromaticity = Array.from({ length: 8 }, (_, i) => u32be(data, i * 4) / 100000);
  } else if (type === 'iCCP') {
    const nul = indexOfNul(data);
    const out = nul < 1 ? null : inflateCapped(data.subarray(nul + 2), options.inflate.left);
    if (out?.ok) {
      options.inflate.left -= out.bytes.length;
      info.icc_profile = `bytes[${out.bytes.length}]`;
    } else {
      options.warnings.add(`iCCP chunk: ${out ? out.reason : 'profile name is missing'}`);
    }
  } else if (type === 'eXIf') {
    (meta as { exif: Uint8Array | null }).exif = data;
    info.exif = `bytes[${data.length}]`;
  }
}

export function* pngSteps(options: PngWalkOptions): Steps<PngMeta> {
  const { budget, warnings, head } = options;
  const meta: PngMeta = { chunks: [], info: {}, exif: null };
  const signature = yield* readAt(budget, 0, 8, head);
  if (!isPng(signature)) {
    warnings.add('not a PNG file');
    return meta;
  }
  let at = 8;
  for (;;) {
    const header = yield* readAt(budget, at, 8, head);
    if (header.length < 8) {
      warnings.add(endedEarly(budget, at + header.length));
      return meta;
    }
    const length = u32be(header, 0);
    const type = fourcc(header, 4);
    if (type === 'IDAT' || type === 'IEND') return meta;
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) {
      warnings.add(`invalid chunk at byte ${at}; later chunks not read`);
      return meta;
    }
    const isText = TEXT_CHUNK_TYPES.has(type);
    if (isText || (!options.textOnly && INFO_CHUNKS.has(type))) {
      const body = yield* readAt(budget, at + 8, length + 4, head);
      if (body.length < length + 4) {
        warnings.add(shortRead(budget, `${type} chunk`, at, length));
        return meta;
      }
      const data = body.subarray(0, length);
      if (crc32(data, crc32(header.subarray(4, 8))) !== u32be(body, length)) {
        warnings.add(`${type} chunk at byte ${at} has a bad CRC`);
      }
      if (isText) {
        const decoded = decodeTextChunk(type as TextChunk['type'], data, options.inflate);
        if (decoded.ok) {
          const { keyword, text } = decoded.chunk;
          meta.chunks.push(decoded.chunk);
          meta.info[keyword === XMP_KEYWORD ? 'xmp' : keyword] = text;
          if (options.stopAfter?.has(keyword)) return meta;
        } else {
          warnings.add(`${type} chunk at byte ${at}: ${decoded.reason}`);
        }
      } else {
        infoOf(type, data, meta, options);
      }
    }
    at += 12 + length;
  }
}
