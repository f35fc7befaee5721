/**
 * `fp`: the request kind plus a 64-bit hash of the canonical request (mode, path, expected
 * version, patch), e.g. `patch:3f2a…`, so a retried idempotency key can be told apart from a key
 * reused for a different request — and so the kind can be read back from a log record after a
 * restart. Not a security boundary (only requests under one key and path are ever compared), so a
 * fast unseeded hash does; it must never change, since fps are stored in the log.
 */
import { canonicalRequest } from '@lenslet/core';
import type { WriteEntry, WriteMode } from '../port/label-store.ts';

/** Two 32-bit multiply-xor lanes over the UTF-16 code units, finalized, as 16 hex digits. */
function hash64Hex(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x5bd1e995);
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  return hex32(a) + hex32(b);
}

/** Two lowercase hex digits per byte value. */
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A 32-bit value as 8 lowercase hex digits (`(x >>> 0).toString(16).padStart(8, '0')`). */
export function hex32(x: number): string {
  return (
    HEX_BYTE[x >>> 24]! +
    HEX_BYTE[(x >>> 16) & 255]! +
    HEX_BYTE[(x >>> 8) & 255]! +
    HEX_BYTE[x & 255]!
  );
}

/** `<mode>:` + 16 hex characters of a 64-bit hash over the canonical request text. */
export function fingerprint(entry: WriteEntry, mode: WriteMode): string {
  const text = canonicalRequest(entry.path, entry.expected_version, entry.patch, mode);
  return `${mode}:${hash64Hex(text)}`;
}

const MODES: readonly WriteMode[] = ['patch', 'put', 'bulk', 'metrics'];

/** The request kind a fingerprint was made for (`patch` for a fingerprint without a kind). */
export function modeOf(fp: string): WriteMode {
  const mode = fp.slice(0, fp.indexOf(':'));
  return (MODES as readonly string[]).includes(mode) ? (mode as WriteMode) : 'patch';
}
