/**
 * WebP (RIFF) chunk walk for metadata: chunk headers only, payloads of ICCP, EXIF and `XMP `.
 * In the extended format these follow the image data, so the walk steps over the bitstream by
 * the chunk sizes. In `textOnly` mode (the scanner), a file whose VP8X flags announce neither
 * EXIF nor XMP, or a simple (non-VP8X) file, is not walked further.
 */
import { fourcc, u32le } from '../headers/bytes.ts';
import { isWebp } from '../headers/webp.ts';
import {
  endedEarly,
  type ReadBudget,
  readAt,
  type Steps,
  shortRead,
  type Warnings,
} from './read-steps.ts';
import { utf8Text } from './text-decode.ts';

export type WebpMeta = {
  readonly info: Record<string, unknown>;
  readonly exif: Uint8Array | null;
  readonly xmp: string | null;
};

export type WebpWalkOptions = {
  readonly budget: ReadBudget;
  readonly warnings: Warnings;
  readonly head?: Uint8Array;
  readonly textOnly?: boolean;
};

const FLAG_EXIF = 0x08;
const FLAG_XMP = 0x04;

export function* webpSteps(options: WebpWalkOptions): Steps<WebpMeta> {
  const { budget, warnings, head } = options;
  const m = {
    info: {} as Record<string, unknown>,
    exif: null as Uint8Array | null,
    xmp: null as string | null,
  };
  const riff = yield* readAt(budget, 0, 12, head);
  if (!isWebp(riff)) {
    warnings.add('not a WebP file');
    return m;
  }
  const end = 8 + u32le(riff, 4);
  let at = 12;
  let first = true;
  while (at + 8 <= end) {
    const h = yield* readAt(budget, at, 8, head);
    if (h.length < 8) {
      warnings.add(endedEarly(budget, at + h.length, 'inside the RIFF container'));
      return m;
    }
    const type = fourcc(h, 0);
    const size = u32le(h, 4);
    const wantedChunk =
      type === 'EXIF' ||
      type === 'XMP ' ||
      (!options.textOnly && type === 'ICCP') ||
      (first && type === 'VP8X');
    if (wantedChunk) {
      const payload = yield* readAt(budget, at + 8, size, head);
      if (payload.length < size) {
        warnings.add(shortRead(budget, `${type.trim()} chunk`, at, size));
        return m;
      }
      if (type === 'VP8X') {
        if (options.textOnly && ((payload[0] ?? 0) & (FLAG_EXIF | FLAG_XMP)) === 0) return m;
      } else if (type === 'ICCP') {
        m.info.icc_profile = `bytes[${size}]`;
      } else if (type === 'EXIF') {
        m.exif ??= payload;
        m.info.exif = `bytes[${size}]`;
      } else if (m.xmp === null) {
        m.xmp = utf8Text(payload);
        m.info.xmp = m.xmp;
      }
    } else if (first && options.textOnly) {
      return m;
    }
    first = false;
    at += 8 + size + (size & 1);
  }
  return m;
}
