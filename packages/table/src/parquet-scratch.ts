/**
 * Reused buffers for decoding Parquet pages. A million-row table decodes hundreds of pages; a
 * fresh buffer per page adds up to gigabytes of short-lived memory, and each 64 MB of it makes
 * V8 run a full collection over every string already loaded. Views handed out here are valid
 * until the next call of the same kind: the page decoder's callers consume a page synchronously
 * before decoding the next one (never across an `await`).
 */

import type { CompressionCodec, Compressors } from 'hyparquet';
import { snappyUncompress } from 'hyparquet';
import { decompressPage } from 'hyparquet/src/datapage.js';

let pageBuffer = new Uint8Array(1 << 16);
let levelBuffer = new Uint8Array(1 << 14);
let indexBuffer = new Uint32Array(1 << 14);
let gatherBuffer = new Float64Array(1 << 14);

function grown<T extends Uint8Array | Uint32Array | Float64Array>(buffer: T, size: number): T {
  if (buffer.length >= size) return buffer;
  return new (buffer.constructor as new (n: number) => T)(Math.max(size, buffer.length * 2));
}

/** The uncompressed bytes of a page: SNAPPY into a reused buffer, other codecs as hyparquet does. */
export function decompress(
  compressed: Uint8Array,
  size: number,
  codec: CompressionCodec,
  compressors: Compressors | undefined,
): Uint8Array {
  if (codec === 'SNAPPY') {
    pageBuffer = grown(pageBuffer, size);
    const out = pageBuffer.subarray(0, size);
    snappyUncompress(compressed, out);
    return out;
  }
  return decompressPage(compressed, size, codec, compressors);
}

/** A zeroed-on-demand Uint8Array of `size` for definition levels. */
export function levelScratch(size: number): Uint8Array {
  levelBuffer = grown(levelBuffer, size);
  return levelBuffer.subarray(0, size);
}

/** A Uint32Array of `size` for dictionary indices. */
export function indexScratch(size: number): Uint32Array {
  indexBuffer = grown(indexBuffer, size);
  return indexBuffer.subarray(0, size);
}

/** A Float64Array of `size` for dictionary values gathered per page. */
export function gatherScratch(size: number): Float64Array {
  gatherBuffer = grown(gatherBuffer, size);
  return gatherBuffer.subarray(0, size);
}
