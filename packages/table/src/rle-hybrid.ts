/**
 * Parquet's RLE / bit-packed hybrid encoding (definition levels and dictionary indices), decoded
 * straight into a typed array. Runs: `varint header`; `header & 1` = bit-packed groups of 8
 * values, `header >>> 1` groups, LSB first; else `header >>> 1` repeats of one value stored in
 * `ceil(width / 8)` little-endian bytes. Returns the offset after the last byte read.
 */
export function decodeRleHybrid(
  bytes: Uint8Array,
  offset: number,
  end: number,
  width: number,
  count: number,
  out: Uint8Array | Uint32Array,
): number {
  let pos = offset;
  let i = 0;
  while (i < count && pos < end) {
    let header = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[pos++]!;
      header += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    if (header % 2 === 1) {
      const values = Math.floor(header / 2) * 8;
      if (width === 0) {
        const stop = Math.min(count, i + values);
        out.fill(0, i, stop);
        i = stop;
        continue;
      }
      const stop = Math.min(count, i + values);
      if (width <= 24) {
        const mask = (1 << width) - 1;
        let buffer = 0;
        let bits = 0;
        for (let k = 0; k < values; k++) {
          while (bits < width) {
            buffer |= bytes[pos++]! << bits;
            bits += 8;
          }
          if (i < stop) out[i++] = buffer & mask;
          buffer >>>= width;
          bits -= width;
        }
      } else {
        let bitPos = 0;
        for (let k = 0; k < values; k++) {
          let value = 0;
          for (let b = 0; b < width; b++, bitPos++) {
            if (bytes[pos + (bitPos >>> 3)]! & (1 << (bitPos & 7))) value += 2 ** b;
          }
          if (i < stop) out[i++] = value;
        }
        pos += (values * width) >>> 3;
      }
    } else {
      const run = Math.floor(header / 2);
      let value = 0;
      for (let b = 0, size = (width + 7) >>> 3; b < size; b++)
        value += bytes[pos++]! * 2 ** (8 * b);
      const stop = Math.min(count, i + run);
      out.fill(value, i, stop);
      i = stop;
    }
  }
  if (i < count) throw new Error(`level or index data ends after ${i} of ${count} values`);
  return pos;
}

/** Bits needed to store values up to `max`. */
export function bitWidth(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}
