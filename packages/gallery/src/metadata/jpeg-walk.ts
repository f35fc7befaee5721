/**
 * JPEG segment walk for metadata: from SOI to the start of scan (SOS), reading the payloads of
 * APP0 (JFIF), APP1 (Exif, XMP), APP2 (ICC profile), APP14 (Adobe) and COM segments and stepping
 * over the rest by their length. Segments are at most 64 KiB each, so every read is small.
 */
import { u16be } from '../headers/bytes.ts';
import { isJpeg } from '../headers/jpeg.ts';
import { endedEarly, type ReadBudget, readAt, type Steps, type Warnings } from './read-steps.ts';
import { guessText, latin1, utf8Text } from './text-decode.ts';

export type JpegMeta = {
  /** What Pillow reports in `Image.info` (jfif, dpi, exif size, icc_profile size, comment, …). */
  readonly info: Record<string, unknown>;
  /** The first Exif APP1 payload (from `Exif\0\0`). */
  readonly exif: Uint8Array | null;
  readonly xmp: string | null;
  readonly comments: string[];
};

export type JpegWalkOptions = {
  readonly budget: ReadBudget;
  readonly warnings: Warnings;
  readonly head?: Uint8Array;
  /**
   * Read only what can hold generation text, Exif and XMP APP1 and COM segments, and stop at the
   * frame header (the scanner's prompt index).
   */
  readonly textOnly?: boolean;
};

const XMP_HEADER = 'http://ns.adobe.com/xap/1.0/\0';
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;
const PROGRESSIVE = new Set([0xc2, 0xc6, 0xca, 0xce]);

type Mutable = { -readonly [K in keyof JpegMeta]: JpegMeta[K] };

function keep(marker: number, m: Mutable, p: Uint8Array, icc: { bytes: number }): void {
  const { info } = m;
  if (marker === APP0 && latin1(p.subarray(0, 5)) === 'JFIF\0' && p.length >= 12) {
    const version = u16be(p, 5);
    const density = [u16be(p, 8), u16be(p, 10)];
    info.jfif = version;
    info.jfif_version = [version >> 8, version & 0xff];
    info.jfif_unit = p[7];
    info.jfif_density = density;
    if (p[7] === 1) info.dpi = density;
    else if (p[7] === 2) info.dpi = density.map((d) => d * 2.54);
  } else if (marker === APP1 && latin1(p.subarray(0, 6)) === 'Exif\0\0') {
    if (m.exif === null) {
      m.exif = p;
      info.exif = `bytes[${p.length}]`;
    }
  } else if (marker === APP1 && latin1(p.subarray(0, XMP_HEADER.length)) === XMP_HEADER) {
    if (m.xmp === null) {
      m.xmp = utf8Text(p.subarray(XMP_HEADER.length));
      info.xmp = m.xmp;
    }
  } else if (marker === APP2 && latin1(p.subarray(0, 12)) === 'ICC_PROFILE\0' && p.length > 14) {
    icc.bytes += p.length - 14;
    info.icc_profile = `bytes[${icc.bytes}]`;
  } else if (marker === APP14 && latin1(p.subarray(0, 5)) === 'Adobe' && p.length >= 12) {
    info.adobe = u16be(p, 5);
    info.adobe_transform = p[11];
  } else if (marker === COM) {
    const text = guessText(p);
    m.comments.push(text);
    info.comment = text;
  }
}

function isFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function wanted(marker: number, textOnly: boolean): boolean {
  if (textOnly) return marker === APP1 || marker === COM;
  return (
    marker === APP0 || marker === APP1 || marker === APP2 || marker === APP14 || marker === COM
  );
}

export function* jpegSteps(options: JpegWalkOptions): Steps<JpegMeta> {
  const { budget, warnings, head } = options;
  const m: Mutable = { info: {}, exif: null, xmp: null, comments: [] };
  const icc = { bytes: 0 };
  if (!isJpeg(yield* readAt(budget, 0, 3, head))) {
    warnings.add('not a JPEG file');
    return m;
  }
  let at = 2;
  for (;;) {
    const h = yield* readAt(budget, at, 4, head);
    const cut = () => warnings.add(endedEarly(budget, at));
    if (h.length < 2) {
      cut();
      return m;
    }
    if (h[0] !== 0xff) {
      warnings.add(`no segment marker at byte ${at}; later segments not read`);
      return m;
    }
    const marker = h[1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return m;
    if (marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (h.length < 4) {
      cut();
      return m;
    }
    const length = u16be(h, 2);
    if (length < 2) {
      warnings.add(`segment at byte ${at} has an invalid length`);
      return m;
    }
    // Metadata precedes the frame header in practice; the scanner stops there.
    if (options.textOnly && isFrameHeader(marker)) return m;
    if (PROGRESSIVE.has(marker) && !options.textOnly) {
      m.info.progressive = 1;
      m.info.progression = 1;
    }
    if (wanted(marker, options.textOnly === true)) {
      const payload = yield* readAt(budget, at + 4, length - 2, head);
      if (payload.length < length - 2) {
        cut();
        return m;
      }
      keep(marker, m, payload, icc);
    }
    at += 2 + length;
  }
}
