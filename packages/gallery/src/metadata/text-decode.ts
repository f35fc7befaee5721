/** Byte-to-text decoding shared by the metadata parsers; never throws (bad bytes become U+FFFD). */
import { isUtf8 } from 'node:buffer';

const utf8 = new TextDecoder('utf-8');
const utf16le = new TextDecoder('utf-16le');
const utf16be = new TextDecoder('utf-16be');

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

export function latin1(b: Uint8Array): string {
  return asBuffer(b).toString('latin1');
}

export function utf8Text(b: Uint8Array): string {
  return utf8.decode(b);
}

/** UTF-8 when the bytes are valid UTF-8, else Latin-1 (what most writers mean by "text"). */
export function guessText(b: Uint8Array): string {
  return isUtf8(b) ? utf8.decode(b) : latin1(b);
}

/**
 * UTF-16 without a declared byte order: a BOM decides, else the order that puts more zero bytes
 * in the high half (prompts are mostly ASCII). `fallbackLe` breaks ties.
 */
export function utf16Text(b: Uint8Array, fallbackLe: boolean): string {
  let body = b.subarray(0, b.length - (b.length % 2));
  let le = fallbackLe;
  if (body[0] === 0xff && body[1] === 0xfe) {
    le = true;
    body = body.subarray(2);
  } else if (body[0] === 0xfe && body[1] === 0xff) {
    le = false;
    body = body.subarray(2);
  } else {
    let zeroEven = 0;
    let zeroOdd = 0;
    for (let i = 0; i + 1 < body.length; i += 2) {
      if (body[i] === 0) zeroEven++;
      if (body[i + 1] === 0) zeroOdd++;
    }
    if (zeroEven !== zeroOdd) le = zeroOdd > zeroEven;
  }
  return (le ? utf16le : utf16be).decode(body);
}

/** Drop trailing NUL characters (C strings, padded EXIF values). */
export function trimNuls(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Index of the first 0 byte at or after `from`, or -1. */
export function indexOfNul(b: Uint8Array, from = 0): number {
  return b.indexOf(0, from);
}
