/** Test helpers: image files assembled byte by byte (PNG chunks with real CRCs, TIFF, JPEG, WebP). */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

const b = (s: string, enc: BufferEncoding = 'latin1') => Buffer.from(s, enc);

function u32be(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out;
}

/** One PNG chunk: length, type, data, CRC over type + data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([b(type), data]);
  return Buffer.concat([u32be(data.length), body, u32be(crc32(body))]);
}

export const tEXt = (keyword: string, text: string) =>
  pngChunk('tEXt', Buffer.concat([b(keyword), b('\0'), b(text)]));

export const zTXt = (keyword: string, text: string) =>
  pngChunk('zTXt', Buffer.concat([b(keyword), b('\0\0'), deflateSync(b(text))]));

export function iTXt(
  keyword: string,
  text: string,
  { compressed = false, language = '', translated = '' } = {},
): Buffer {
  const body = compressed ? deflateSync(b(text, 'utf8')) : b(text, 'utf8');
  return pngChunk(
    'iTXt',
    Buffer.concat([
      b(keyword),
      Buffer.from([0, compressed ? 1 : 0, 0]),
      b(language),
      b('\0'),
      b(translated, 'utf8'),
      b('\0'),
      body,
    ]),
  );
}

/** A valid 2×1 RGB PNG with `before` chunks between IHDR and IDAT and `after` chunks after it. */
export function pngFile(before: Buffer[], after: Buffer[] = []): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const pixels = deflateSync(Buffer.from([0, 255, 0, 0, 0, 0, 255]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...before,
    pngChunk('IDAT', pixels),
    ...after,
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** A TIFF field: `type` 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL, 7 UNDEFINED, 1 BYTE. */
export type Field = { tag: number; type: number; value: string | Uint8Array | number[] };

const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1 };

function fieldBytes(f: Field, le: boolean): { count: number; data: Buffer } {
  if (typeof f.value === 'string') {
    const data = Buffer.concat([b(f.value, 'utf8'), Buffer.from([0])]);
    return { count: data.length, data };
  }
  if (f.value instanceof Uint8Array) return { count: f.value.length, data: Buffer.from(f.value) };
  const size = SIZE[f.type]!;
  const nums = f.value;
  const count = f.type === 5 ? nums.length / 2 : nums.length;
  const data = Buffer.alloc(count * size);
  nums.forEach((n, i) => {
    const at = f.type === 5 ? i * 4 : i * size;
    if (f.type === 3) le ? data.writeUInt16LE(n, at) : data.writeUInt16BE(n, at);
    else if (f.type === 1) data[at] = n;
    else le ? data.writeUInt32LE(n, at) : data.writeUInt32BE(n, at);
  });
  return { count, data };
}

/** A TIFF block with IFD0 and optional Exif and GPS IFDs (pointers added here). */
export function tiff(
  ifd0: Field[],
  { le = true, exif = [] as Field[], gps = [] as Field[] } = {},
): Buffer {
  const ifds: Field[][] = [[...ifd0]];
  if (exif.length) ifds.push(exif);
  if (gps.length) ifds.push(gps);
  const pointers: Field[] = [];
  if (exif.length) pointers.push({ tag: 0x8769, type: 4, value: [0] });
  if (gps.length) pointers.push({ tag: 0x8825, type: 4, value: [0] });
  ifds[0] = [...ifds[0]!, ...pointers];
  const w16 = (n: number) => {
    const x = Buffer.alloc(2);
    le ? x.writeUInt16LE(n) : x.writeUInt16BE(n);
    return x;
  };
  const w32 = (n: number) => {
    const x = Buffer.alloc(4);
    le ? x.writeUInt32LE(n) : x.writeUInt32BE(n);
    return x;
  };
  // Lay out: header, then each IFD followed by its out-of-line data.
  const starts: number[] = [];
  let at = 8;
  for (const ifd of ifds) {
    starts.push(at);
    at += 2 + ifd.length * 12 + 4;
    for (const f of ifd) {
      const { data } = fieldBytes(f, le);
      if (data.length > 4) at += data.length + (data.length % 2);
    }
  }
  if (exif.length) pointers[0]!.value = [starts[1]!];
  if (gps.length) pointers[pointers.length - 1]!.value = [starts[exif.length ? 2 : 1]!];
  const parts: Buffer[] = [b(le ? 'II' : 'MM'), w16(42), w32(8)];
  ifds.forEach((ifd, k) => {
    let data = starts[k]! + 2 + ifd.length * 12 + 4;
    const out: Buffer[] = [];
    parts.push(w16(ifd.length));
    for (const f of ifd) {
      const { count, data: bytes } = fieldBytes(f, le);
      parts.push(w16(f.tag), w16(f.type), w32(count));
      if (bytes.length <= 4) parts.push(Buffer.concat([bytes, Buffer.alloc(4 - bytes.length)]));
      else {
        parts.push(w32(data));
        const padded = bytes.length % 2 ? Buffer.concat([bytes, Buffer.alloc(1)]) : bytes;
        out.push(padded);
        data += padded.length;
      }
    }
    parts.push(w32(0), ...out);
  });
  return Buffer.concat(parts);
}

/** UserComment bytes: the 8-byte character code, then the text. */
export function userComment(text: string, code: 'ASCII' | 'UNICODE-BE' | 'UNICODE-LE'): Buffer {
  if (code === 'ASCII') return Buffer.concat([b('ASCII\0\0\0'), b(text, 'utf8')]);
  const le = b(text, 'utf16le');
  if (code === 'UNICODE-LE') return Buffer.concat([b('UNICODE\0'), le]);
  return Buffer.concat([b('UNICODE\0'), Buffer.from(le).swap16()]);
}

/** A real tiny JPEG (from sharp) with `segments` ([marker, payload]) inserted after SOI. */
export async function jpegWith(segments: [number, Uint8Array][]): Promise<Buffer> {
  const base = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#468' } })
    .jpeg()
    .toBuffer();
  const inserted = segments.map(([marker, payload]) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
  });
  return Buffer.concat([base.subarray(0, 2), ...inserted, base.subarray(2)]);
}

/** A real tiny lossy WebP turned extended (VP8X with `flags`), with `chunks` after the bitstream. */
export async function webpWith(chunks: [string, Uint8Array][], flags: number): Promise<Buffer> {
  const simple = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#468' } })
    .webp()
    .toBuffer();
  const vp8x = Buffer.alloc(10);
  vp8x[0] = flags;
  vp8x.writeUIntLE(3, 4, 3);
  vp8x.writeUIntLE(2, 7, 3);
  const chunk = (type: string, data: Uint8Array) => {
    const head = Buffer.concat([b(type), Buffer.alloc(4)]);
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
  };
  const body = Buffer.concat([
    b('WEBP'),
    chunk('VP8X', vp8x),
    simple.subarray(12),
    ...chunks.map(([t, d]) => chunk(t, d)),
  ]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(body.length);
  return Buffer.concat([b('RIFF'), size, body]);
}
