/**
 * PLAIN-encoded values of the common physical types, decoded without a JS object per value:
 * numbers land in a Float64Array (through a reused aligned scratch buffer when the page offset
 * is not aligned), byte arrays become strings sliced straight out of the page.
 */

let scratch = new ArrayBuffer(1 << 16);

/** `length` bytes of `page` from `offset`, in a buffer aligned for any typed array. */
function aligned(page: Uint8Array, offset: number, length: number, align: number): ArrayBuffer {
  const start = page.byteOffset + offset;
  if (start % align === 0 && page.buffer instanceof ArrayBuffer) return page.buffer;
  if (scratch.byteLength < length)
    scratch = new ArrayBuffer(Math.max(length, scratch.byteLength * 2));
  new Uint8Array(scratch, 0, length).set(page.subarray(offset, offset + length));
  return scratch;
}

/** Physical types `plainNumbers` reads. */
export function isPlainNumberType(type: string): boolean {
  return type === 'DOUBLE' || type === 'FLOAT' || type === 'INT32' || type === 'INT64';
}

/**
 * `count` PLAIN numbers of a physical type, as a Float64Array: a view into the page or into a
 * reused scratch buffer, valid until the next call (callers copy it out at once).
 */
export function plainNumbers(
  page: Uint8Array,
  offset: number,
  type: string,
  count: number,
): Float64Array {
  const size = type === 'DOUBLE' || type === 'INT64' ? 8 : 4;
  const length = count * size;
  if (offset + length > page.length) throw new Error(`a page holds fewer than ${count} values`);
  const buffer = aligned(page, offset, length, size);
  const at = buffer === page.buffer ? page.byteOffset + offset : 0;
  switch (type) {
    case 'DOUBLE':
      return new Float64Array(buffer, at, count);
    case 'FLOAT':
      return Float64Array.from(new Float32Array(buffer, at, count));
    case 'INT32':
      return Float64Array.from(new Int32Array(buffer, at, count));
    default: {
      const big = new BigInt64Array(buffer, at, count);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = Number(big[i]!);
      return out;
    }
  }
}

/** `count` PLAIN byte arrays (4-byte little-endian length + bytes) decoded as UTF-8 strings. */
export function plainStrings(page: Uint8Array, offset: number, count: number): string[] {
  const buf = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  const out: string[] = new Array(count);
  let pos = offset;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > buf.length) throw new Error(`a page holds fewer than ${count} strings`);
    const length = buf.readUInt32LE(pos);
    pos += 4;
    if (pos + length > buf.length) throw new Error('a string runs past the end of its page');
    out[i] = buf.toString('utf8', pos, pos + length);
    pos += length;
  }
  return out;
}
