/**
 * Which directory entries the scan looks at, decided from the raw bytes of the name (so invalid
 * UTF-8 is detected, not papered over with U+FFFD).
 *
 * - `.name` and `_name` are skipped silently (hidden, drafts, the `.lenslet` workspace);
 * - invalid UTF-8, control characters and `\` (which a canonical path would read as a separator)
 *   make a name invalid: skipped and counted;
 * - everything else is fine — any script, emoji, RTL — and is compared in NFC.
 */
import { hasControlChar } from '@lenslet/core';

export type NameCheck =
  | { readonly kind: 'ok'; readonly name: string; readonly nfc: string }
  | { readonly kind: 'hidden' }
  | { readonly kind: 'invalid'; readonly reason: string };

const DOT = 0x2e;
const UNDERSCORE = 0x5f;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Classify one raw directory entry name. */
export function checkName(raw: Uint8Array): NameCheck {
  if (raw.length === 0 || raw[0] === DOT || raw[0] === UNDERSCORE) return { kind: 'hidden' };
  // Printable ASCII (most names): valid UTF-8, already NFC, no control characters.
  let ascii = true;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b < 0x20 || b >= 0x7f || b === 0x5c) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const name = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1');
    return { kind: 'ok', name, nfc: name };
  }
  let name: string;
  try {
    name = utf8.decode(raw);
  } catch {
    return { kind: 'invalid', reason: 'not valid UTF-8' };
  }
  if (hasControlChar(name)) return { kind: 'invalid', reason: 'contains a control character' };
  if (name.includes('\\')) return { kind: 'invalid', reason: 'contains a backslash' };
  return { kind: 'ok', name, nfc: name.normalize('NFC') };
}

/** Same rules for a name that arrives as a string (watch events); `\uFFFD` counts as invalid. */
export function checkNameString(name: string): NameCheck {
  if (name.includes('\uFFFD')) return { kind: 'invalid', reason: 'not valid UTF-8' };
  return checkName(Buffer.from(name, 'utf8'));
}

/** Lossy text of a raw name, for logs and skip bookkeeping only. */
export function displayName(raw: Uint8Array): string {
  return Buffer.from(raw).toString('utf8');
}
