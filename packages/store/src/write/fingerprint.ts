/**
 * `fp`: the request kind plus a 64-bit hash of the canonical request (mode, path, expected
 * version, patch), e.g. `patch:3f2a…`, so a retried idempotency key can be told apart from a key
 * reused for a different request — and so the kind can be read back from a log record after a
 * restart. Not a security boundary (only requests under one key and path are ever compared), so a
 * fast unseeded hash does; it must never change, since fps are stored in the log.
 */
import { canonicalJson, PATCH_OPS } from '@lenslet/core';
import { WRITE_MODES, type WriteEntry, type WriteMode } from '../port/label-store.ts';

/**
 * The two 32-bit multiply-xor lanes of the fingerprint hash, fed one piece of text at a time
 * (module state: no object per hash). Feeding the pieces of a text in order gives the hash of the
 * whole text (`hash64Hex`), so the canonical request need not be built as one string.
 */
let laneA = 0;
let laneB = 0;

function start(): void {
  laneA = 0x811c9dc5;
  laneB = 0x050c5d1f;
}

function feed(text: string): void {
  let a = laneA;
  let b = laneB;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x5bd1e995);
  }
  laneA = a;
  laneB = b;
}

/** The final mix of both lanes, in place. */
function mixLanes(): void {
  let a = laneA;
  let b = laneB;
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  laneA = a;
  laneB = b;
}

function finishHex(): string {
  mixLanes();
  return hex32(laneA) + hex32(laneB);
}

/** Char codes of the fingerprint text being made (reused: the text is made in one piece). */
const FP_CODES: number[] = [];
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** `<prefix>` + the 16 hex digits of the lanes, as one flat string (no pieces to join later). */
function finishWith(prefix: string): string {
  mixLanes();
  const a = laneA;
  const b = laneB;
  const codes = FP_CODES;
  codes.length = 0;
  for (let i = 0; i < prefix.length; i++) codes.push(prefix.charCodeAt(i));
  for (let shift = 28; shift >= 0; shift -= 4) codes.push(HEX_CODES[(a >>> shift) & 15]!);
  for (let shift = 28; shift >= 0; shift -= 4) codes.push(HEX_CODES[(b >>> shift) & 15]!);
  return String.fromCharCode.apply(null, codes);
}

/** The fingerprint hash of `text`: 16 hex digits. */
export function hash64Hex(text: string): string {
  start();
  feed(text);
  return finishHex();
}

/**
 * Feed `JSON.stringify(text)`: the text between quotes when JSON would write it unchanged (no
 * quote, backslash, control character or surrogate), else JSON's own text.
 */
function feedJsonString(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
      feed(JSON.stringify(text));
      return;
    }
  }
  feed('"');
  feed(text);
  feed('"');
}

/** Feed `JSON.stringify(list)` of a tag list (strings), or of anything else as it is. */
function feedJsonList(list: unknown): void {
  if (!Array.isArray(list)) {
    feed(JSON.stringify(list));
    return;
  }
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') {
      feed(JSON.stringify(list));
      return;
    }
  }
  feed('[');
  for (let i = 0; i < list.length; i++) {
    if (i > 0) feed(',');
    feedJsonString(list[i]);
  }
  feed(']');
}

/** Feed `canonicalJson(metrics)` (key-sorted JSON) of a metrics patch. */
function feedMetrics(metrics: unknown): void {
  if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics)) {
    feed(canonicalJson(metrics));
    return;
  }
  const values = metrics as Record<string, unknown>;
  const names = Object.keys(values);
  if (names.length > 1) names.sort();
  feed('{');
  let first = true;
  for (const name of names) {
    const value = values[name];
    if (value === undefined) continue;
    if (!first) feed(',');
    first = false;
    feedJsonString(name);
    feed(':');
    feed(typeof value === 'number' ? JSON.stringify(value) : canonicalJson(value));
  }
  feed('}');
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

const PREFIXES: Record<WriteMode, string> = {
  patch: 'patch:',
  put: 'put:',
  bulk: 'bulk:',
  metrics: 'metrics:',
};

/**
 * `<mode>:` + 16 hex characters of a 64-bit hash over the canonical request text
 * (`canonicalRequest`), hashed piece by piece as that text is made of, without building it.
 */
export function fingerprint(entry: WriteEntry, mode: WriteMode): string {
  const { patch } = entry;
  start();
  feed('{"expected":');
  feed(`${entry.expected_version ?? null}`);
  feed(',"mode":');
  feedJsonString(mode);
  feed(',"ops":{');
  let first = true;
  for (const op of PATCH_OPS) {
    const value = patch[op];
    if (value === undefined) continue;
    feed(first ? '"' : ',"');
    first = false;
    feed(op);
    feed('":');
    if (op === 'set_metrics') feedMetrics(value);
    else if (typeof value === 'string') feedJsonString(value);
    else if (Array.isArray(value)) feedJsonList(value);
    else feed(JSON.stringify(value));
  }
  feed('},"path":');
  feedJsonString(entry.path);
  feed('}');
  return finishWith(PREFIXES[mode]);
}

/** The request kind a fingerprint was made for (`patch` for a fingerprint without a kind). */
export function modeOf(fp: string): WriteMode {
  const mode = fp.slice(0, fp.indexOf(':'));
  return (WRITE_MODES as readonly string[]).includes(mode) ? (mode as WriteMode) : 'patch';
}
