/** Bounds-checked big/little-endian reads; out of range reads return -1 instead of throwing. */

export function u8(b: Uint8Array, i: number): number {
  return i >= 0 && i < b.length ? b[i]! : -1;
}

export function u16be(b: Uint8Array, i: number): number {
  return i >= 0 && i + 2 <= b.length ? (b[i]! << 8) | b[i + 1]! : -1;
}

export function u16le(b: Uint8Array, i: number): number {
  return i >= 0 && i + 2 <= b.length ? b[i]! | (b[i + 1]! << 8) : -1;
}

export function u24le(b: Uint8Array, i: number): number {
  return i >= 0 && i + 3 <= b.length ? b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) : -1;
}

export function u32be(b: Uint8Array, i: number): number {
  return i >= 0 && i + 4 <= b.length
    ? ((b[i]! << 24) >>> 0) + ((b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!)
    : -1;
}

export function u32le(b: Uint8Array, i: number): number {
  return i >= 0 && i + 4 <= b.length
    ? ((b[i + 3]! << 24) >>> 0) + (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16))
    : -1;
}

/** The 4 ASCII characters at i ('ftyp', 'IHDR', …), or '' when out of range. */
export function fourcc(b: Uint8Array, i: number): string {
  if (i < 0 || i + 4 > b.length) return '';
  return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
}

/** Width and height in pixels as an image is displayed. */
export type Size = { readonly width: number; readonly height: number };

/** A parser that needs more bytes asks for them: read `length` bytes at file `offset`. */
export type Need = { readonly offset: number; readonly length: number };
