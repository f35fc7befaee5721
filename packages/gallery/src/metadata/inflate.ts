/** zlib inflate with an output cap, for compressed PNG text (zTXt, iTXt). */
import { inflateSync } from 'node:zlib';

export type Inflated =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: string };

/** Inflate `data` (a zlib stream) into at most `maxBytes` bytes; a larger or broken stream fails. */
export function inflateCapped(data: Uint8Array, maxBytes: number): Inflated {
  if (maxBytes <= 0) return { ok: false, reason: 'decompression limit reached' };
  try {
    return { ok: true, bytes: inflateSync(data, { maxOutputLength: maxBytes }) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      return { ok: false, reason: `decompresses to more than ${maxBytes} bytes` };
    }
    return { ok: false, reason: 'compressed data is corrupt' };
  }
}
