/**
 * The byte cursor behind the fast readers of lines in exactly the form this store writes (log
 * records: canonical-line.ts; snapshot items and keys: snapshot/canonical-snapshot-lines.ts).
 * One line is read at a time: `begin` it, call the readers in the order of the line's fields,
 * then ask `finished()`. A reader that meets a byte that does not fit turns the cursor off, and
 * every later reader returns a dummy value; the caller then takes its general path (JSON.parse).
 * Strings are accepted only without escapes or control characters, integers only as plain digits.
 * The state is module-level (no object per line): these run a million times at start-up.
 */
import { internString, internTag, internTags } from './interner.ts';

export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;

/** The latin1 bytes of a fixed piece of a line (`bytes(',"at":')`). */
export const bytes = (text: string) => Buffer.from(text, 'latin1');

/**
 * Buffer's own slice decoders (what `toString` calls after checking its arguments; about 5× less
 * overhead on short strings), with `toString` as the fallback should a Node version lack them.
 */
type Slicers = {
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
};
const proto = Buffer.prototype as unknown as Slicers;
export const latin1 = proto.latin1Slice
  ? (b: Buffer, from: number, to: number) =>
      (b as unknown as Required<Slicers>).latin1Slice(from, to)
  : (b: Buffer, from: number, to: number) => b.toString('latin1', from, to);
const utf8 = proto.utf8Slice
  ? (b: Buffer, from: number, to: number) => (b as unknown as Required<Slicers>).utf8Slice(from, to)
  : (b: Buffer, from: number, to: number) => b.toString('utf8', from, to);
const NULL = bytes('null');

/** The line being read: buf[pos, end). `ok` turns false at the first byte that does not fit. */
let buf: Buffer = Buffer.alloc(0);
let pos = 0;
let end = 0;
let ok = true;

/** Start reading the line buf[start, stop). */
export function begin(source: Buffer, start: number, stop: number): void {
  buf = source;
  pos = start;
  end = stop;
  ok = true;
}

/** True while every byte so far fitted. */
export function fits(): boolean {
  return ok;
}

/** Where the cursor is (meaningful while `fits()`). */
export function position(): number {
  return pos;
}

/** True when every byte fitted and the whole line was read. */
export function finished(): boolean {
  return ok && pos === end;
}

/** Skip the bytes of `expected`, or turn the cursor off. */
export function literal(expected: Uint8Array): void {
  if (!ok) return;
  if (pos + expected.length > end) {
    ok = false;
    return;
  }
  for (let i = 0; i < expected.length; i++) {
    if (buf[pos + i] !== expected[i]) {
      ok = false;
      return;
    }
  }
  pos += expected.length;
}

/** Skip `expected` if the line continues with it; says whether it did. */
export function skipLiteral(expected: Uint8Array): boolean {
  if (!ok || pos + expected.length > end) return false;
  for (let i = 0; i < expected.length; i++) if (buf[pos + i] !== expected[i]) return false;
  pos += expected.length;
  return true;
}

/** Skip the byte `expected` if it comes next; says whether it did. */
export function skipByte(expected: number): boolean {
  if (ok && pos < end && buf[pos] === expected) {
    pos += 1;
    return true;
  }
  return false;
}

/** The byte `expected`, or turn the cursor off. */
export function byte(expected: number): void {
  if (ok && pos < end && buf[pos] === expected) pos += 1;
  else ok = false;
}

/** A non-negative safe integer written as plain digits (no leading zero). */
export function digits(): number {
  if (!ok) return 0;
  const from = pos;
  let value = 0;
  while (pos < end) {
    const c = buf[pos]!;
    if (c < ZERO || c > NINE) break;
    value = value * 10 + (c - ZERO);
    pos += 1;
  }
  const n = pos - from;
  // Up to 16 digits the sum is exact whenever the result is a safe integer.
  if (n === 0 || n > 16 || value > Number.MAX_SAFE_INTEGER || (n > 1 && buf[from] === ZERO)) {
    ok = false;
  }
  return value;
}

/** A string without escapes or control characters (anything else: not the canonical form). */
export function text(): string {
  if (!ok || pos >= end || buf[pos] !== QUOTE) {
    ok = false;
    return '';
  }
  const from = pos + 1;
  let ascii = true;
  for (let i = from; i < end; i++) {
    const c = buf[i]!;
    if (c === QUOTE) {
      pos = i + 1;
      return ascii ? latin1(buf, from, i) : utf8(buf, from, i);
    }
    if (c === BACKSLASH || c < 0x20) break;
    if (c >= 0x80) ascii = false;
  }
  ok = false;
  return '';
}

/**
 * Strings read by `sharedText`, by a hash of their bytes: a name or tag met again is matched
 * against its bytes and returned without a new string (or a lookup of one).
 */
const SHARED_SLOTS = 4096;
const shared: (string | undefined)[] = new Array(SHARED_SLOTS).fill(undefined);

/**
 * `text()` for a value that repeats (a user name, a tag, a metric name): the shared copy
 * (interner.ts) of a short string; a short ASCII one met recently is found from its bytes alone.
 */
export function sharedText(): string {
  if (!ok || pos >= end || buf[pos] !== QUOTE) {
    ok = false;
    return '';
  }
  const from = pos + 1;
  let hash = 0;
  let ascii = true;
  for (let i = from; i < end; i++) {
    const c = buf[i]!;
    if (c === QUOTE) {
      pos = i + 1;
      const length = i - from;
      if (!ascii) return internString(utf8(buf, from, i));
      if (length > 64) return latin1(buf, from, i);
      const slot = (hash ^ length) & (SHARED_SLOTS - 1);
      const known = shared[slot];
      if (known !== undefined && known.length === length && sameBytes(known, from)) return known;
      const value = internString(latin1(buf, from, i));
      shared[slot] = value;
      return value;
    }
    if (c === BACKSLASH || c < 0x20) break;
    if (c >= 0x80) ascii = false;
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  ok = false;
  return '';
}

function sameBytes(value: string, from: number): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) !== buf[from + i]) return false;
  return true;
}

const EMPTY_LIST: readonly string[] = Object.freeze([]);

/**
 * `tagList(0)` as one shared, frozen list (interner.ts): `[]` is always the same empty list, and
 * a list met before costs no new array.
 */
export function sharedTagList(): readonly string[] {
  byte(OPEN_BRACKET);
  if (skipByte(CLOSE_BRACKET)) return EMPTY_LIST;
  const first = sharedText();
  if (first.length === 0) ok = false;
  if (skipByte(CLOSE_BRACKET) || !ok) return ok ? internTag(first) : EMPTY_LIST;
  const tags = [first];
  while (ok && skipByte(COMMA)) {
    const tag = sharedText();
    if (tag.length === 0) ok = false;
    tags.push(tag);
  }
  byte(CLOSE_BRACKET);
  return ok ? internTags(tags) : EMPTY_LIST;
}

/** `null` (true), or a string `text()` would read (false); turns the cursor off otherwise. */
export function skipNull(): boolean {
  return skipLiteral(NULL);
}

/**
 * A string of printable ASCII only (no escapes), not decoded: its bytes are buf[rangeFrom,
 * rangeTo) afterwards — for values that are only hashed. Anything else turns the cursor off.
 */
export function asciiRange(): void {
  if (!ok || pos >= end || buf[pos] !== QUOTE) {
    ok = false;
    return;
  }
  const from = pos + 1;
  for (let i = from; i < end; i++) {
    const c = buf[i]!;
    if (c === QUOTE) {
      range.from = from;
      range.to = i;
      pos = i + 1;
      return;
    }
    if (c === BACKSLASH || c < 0x20 || c >= 0x7f) break;
  }
  ok = false;
}

/** Where the last `asciiRange` string lies in the line's buffer. */
export const range = { from: 0, to: 0 };

/** `["a","b"]`, each tag non-empty and interned, at least `min` of them. */
export function tagList(min: number): readonly string[] {
  byte(OPEN_BRACKET);
  let tags: string[] = [];
  if (!skipByte(CLOSE_BRACKET)) {
    // Started as a one-element literal: `push` onto [] reserves 17 slots for a list of one.
    const first = sharedText();
    if (first.length === 0) ok = false;
    tags = [first];
    while (ok && skipByte(COMMA)) {
      const tag = sharedText();
      if (tag.length === 0) ok = false;
      tags.push(tag);
    }
    byte(CLOSE_BRACKET);
  }
  if (tags.length < min) ok = false;
  return tags;
}

/** `null` or one digit 0–5. */
export function star(): number | null {
  if (!ok) return null;
  if (skipLiteral(NULL)) return null;
  const c = buf[pos]!;
  if (pos < end && c >= ZERO && c <= ZERO + 5 && !isDigit(buf[pos + 1])) {
    pos += 1;
    return c - ZERO;
  }
  ok = false;
  return null;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}

/** A JSON number token (the JSON grammar exactly), or null (when `nullable`); finite. */
function metricValue(nullable: boolean): number | null {
  if (!ok) return null;
  if (nullable && skipLiteral(NULL)) return null;
  const from = pos;
  if (buf[pos] === 0x2d) pos += 1;
  if (buf[pos] === ZERO) pos += 1;
  else if (isDigit(buf[pos])) while (isDigit(buf[pos])) pos += 1;
  else ok = false;
  if (buf[pos] === 0x2e) {
    pos += 1;
    if (!isDigit(buf[pos])) ok = false;
    while (isDigit(buf[pos])) pos += 1;
  }
  if (buf[pos] === 0x65 || buf[pos] === 0x45) {
    pos += 1;
    if (buf[pos] === 0x2b || buf[pos] === 0x2d) pos += 1;
    if (!isDigit(buf[pos])) ok = false;
    while (isDigit(buf[pos])) pos += 1;
  }
  if (!ok || pos > end) {
    ok = false;
    return null;
  }
  const value = Number(latin1(buf, from, pos));
  if (!Number.isFinite(value)) ok = false;
  return value;
}

/**
 * `{"name":value,…}`, values finite numbers (or null when `nullable`); `__proto__` (which an
 * assignment would not create as a key) is not canonical here.
 */
export function metricMap(nullable: boolean): Record<string, number | null> {
  byte(OPEN_BRACE);
  const map: Record<string, number | null> = {};
  if (skipByte(CLOSE_BRACE)) return map;
  while (ok) {
    const name = sharedText();
    byte(COLON);
    const value = metricValue(nullable);
    if (name === '__proto__') ok = false;
    if (!ok) break;
    map[name] = value;
    if (!skipByte(COMMA)) {
      byte(CLOSE_BRACE);
      break;
    }
  }
  return map;
}
