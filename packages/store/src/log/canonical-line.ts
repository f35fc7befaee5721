/**
 * The fast path of `decodeLineBytes`: a line body in exactly the form `encodeRecord` writes (keys
 * in their pinned order, no spaces, integers as plain digits, strings without escapes or control
 * characters) is read byte by byte straight into the record, with no intermediate string of the
 * whole line and no JSON.parse (about 4× cheaper per line, the largest cost of cold recovery). It
 * applies the same checks as `recordShapeProblem` and the path check. Any other body — valid or
 * not — gives null and takes the general path (JSON.parse + shape check), so what is accepted and
 * what it decodes to do not depend on the path taken (property-tested in canonical-line.test.ts).
 */
import { type Change, isCanonicalPath, type LabelRecord } from '@lenslet/core';
import { internString } from './interner.ts';
import { isRecordTime } from './record-shape.ts';

/** What the general path checks paths against (already canonical, not checked again). */
type Known = { has(path: string): boolean } | undefined;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const ZERO = 0x30;
const NINE = 0x39;

const bytes = (text: string) => Buffer.from(text, 'latin1');

/**
 * Buffer's own slice decoders (what `toString` calls after checking its arguments; about 5× less
 * overhead on short strings), with `toString` as the fallback should a Node version lack them.
 */
type Slicers = {
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
};
const proto = Buffer.prototype as unknown as Slicers;
const latin1 = proto.latin1Slice
  ? (b: Buffer, from: number, to: number) =>
      (b as unknown as Required<Slicers>).latin1Slice(from, to)
  : (b: Buffer, from: number, to: number) => b.toString('latin1', from, to);
const utf8 = proto.utf8Slice
  ? (b: Buffer, from: number, to: number) => (b as unknown as Required<Slicers>).utf8Slice(from, to)
  : (b: Buffer, from: number, to: number) => b.toString('utf8', from, to);
const OPEN = bytes('{"v":1,"seq":');
const AT = bytes(',"at":');
const ACTOR = bytes(',"actor":');
const PATH = bytes(',"path":');
const VERSION = bytes(',"version":');
const BASE = bytes(',"base":');
const MUTATION_ID = bytes(',"mutation_id":');
const FP = bytes(',"fp":');
const CHANGES = bytes(',"changes":[');
const KIND = bytes('{"kind":"');
const STAR_SET = bytes('star_set","star":');
const NOTES_SET = bytes('notes_set","notes":');
const TAGS_SET = bytes('tags_set","tags":');
const TAGS_ADDED = bytes('tags_added","tags":');
const TAGS_REMOVED = bytes('tags_removed","tags":');
const METRICS_SET = bytes('metrics_set","metrics":');
const FROM = bytes(',"from":');
const NULL = bytes('null');

/** The line being read: buf[pos, end). `ok` turns false at the first byte that does not fit. */
let buf: Buffer = Buffer.alloc(0);
let pos = 0;
let end = 0;
let ok = true;

/** The `at` prefix (date and time to the second) last found valid, to skip the regex next time. */
let lastTimePrefix = '';

function literal(expected: Uint8Array): void {
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

function peekLiteral(expected: Uint8Array): boolean {
  if (pos + expected.length > end) return false;
  for (let i = 0; i < expected.length; i++) if (buf[pos + i] !== expected[i]) return false;
  return true;
}

function byte(expected: number): void {
  if (ok && pos < end && buf[pos] === expected) pos += 1;
  else ok = false;
}

/** A non-negative safe integer written as plain digits (no leading zero). */
function digits(): number {
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
function text(): string {
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

/** `["a","b"]`, each tag non-empty, at least `min` of them. */
function tagList(min: number): readonly string[] {
  byte(0x5b);
  const tags: string[] = [];
  if (ok && pos < end && buf[pos] === CLOSE_BRACKET) pos += 1;
  else {
    while (ok) {
      const tag = text();
      if (tag.length === 0) ok = false;
      tags.push(internString(tag));
      if (pos < end && buf[pos] === COMMA) pos += 1;
      else {
        byte(CLOSE_BRACKET);
        break;
      }
    }
  }
  if (tags.length < min) ok = false;
  return tags;
}

/** `null` or one digit 0–5. */
function star(): number | null {
  if (!ok) return null;
  if (peekLiteral(NULL)) {
    pos += NULL.length;
    return null;
  }
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

/** A JSON number token (the JSON grammar exactly), or null; finite. */
function metricValue(): number | null {
  if (!ok) return null;
  if (peekLiteral(NULL)) {
    pos += NULL.length;
    return null;
  }
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

/** `{"name":value,…}`; `__proto__` (which an assignment would not create as a key) is not canonical here. */
function metricMap(): Record<string, number | null> {
  byte(0x7b);
  const map: Record<string, number | null> = {};
  if (ok && pos < end && buf[pos] === CLOSE_BRACE) {
    pos += 1;
    return map;
  }
  while (ok) {
    const name = text();
    byte(COLON);
    const value = metricValue();
    if (name === '__proto__') ok = false;
    if (!ok) break;
    map[name] = value;
    if (pos < end && buf[pos] === COMMA) pos += 1;
    else {
      byte(CLOSE_BRACE);
      break;
    }
  }
  return map;
}

function change(): Change | null {
  literal(KIND);
  if (!ok) return null;
  let result: Change;
  if (peekLiteral(STAR_SET)) {
    pos += STAR_SET.length;
    const value = star();
    literal(FROM);
    result = { kind: 'star_set', star: value, from: star() };
  } else if (peekLiteral(TAGS_ADDED)) {
    pos += TAGS_ADDED.length;
    result = { kind: 'tags_added', tags: tagList(1) };
  } else if (peekLiteral(METRICS_SET)) {
    pos += METRICS_SET.length;
    const metrics = metricMap();
    literal(FROM);
    result = { kind: 'metrics_set', metrics, from: metricMap() };
  } else if (peekLiteral(TAGS_REMOVED)) {
    pos += TAGS_REMOVED.length;
    result = { kind: 'tags_removed', tags: tagList(1) };
  } else if (peekLiteral(TAGS_SET)) {
    pos += TAGS_SET.length;
    const tags = tagList(0);
    literal(FROM);
    result = { kind: 'tags_set', tags, from: tagList(0) };
  } else if (peekLiteral(NOTES_SET)) {
    pos += NOTES_SET.length;
    const notes = text();
    literal(FROM);
    result = { kind: 'notes_set', notes, from: text() };
  } else return null;
  byte(CLOSE_BRACE);
  return ok ? result : null;
}

/** True when `at` is a valid record time (the regex runs once per distinct second). */
function validTime(at: string): boolean {
  if (at.length === 24 && at.charCodeAt(19) === 0x2e && at.charCodeAt(23) === 0x5a) {
    const prefix = at.slice(0, 19);
    if (prefix === lastTimePrefix)
      return isDigitCode(at, 20) && isDigitCode(at, 21) && isDigitCode(at, 22);
    if (!isRecordTime(at)) return false;
    lastTimePrefix = prefix;
    return true;
  }
  return isRecordTime(at);
}

function isDigitCode(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= ZERO && c <= NINE;
}

/**
 * The record in the line body buf[start, bodyEnd) (the line up to `,"crc":…}`), when the body is
 * in the canonical form and valid; null otherwise (the caller then takes the general path).
 */
export function readCanonicalRecord(
  source: Buffer,
  start: number,
  bodyEnd: number,
  known: Known,
): LabelRecord | null {
  buf = source;
  pos = start;
  end = bodyEnd;
  ok = true;
  literal(OPEN);
  const seq = digits();
  literal(AT);
  const at = text();
  literal(ACTOR);
  const actor = text();
  literal(PATH);
  const path = text();
  literal(VERSION);
  const version = digits();
  let base: number | undefined;
  if (ok && peekLiteral(BASE)) {
    pos += BASE.length;
    base = digits();
    if (base < 1) ok = false;
  }
  literal(MUTATION_ID);
  const mutationId = text();
  literal(FP);
  const fp = text();
  literal(CHANGES);
  const changes: Change[] = [];
  while (ok) {
    const next = change();
    if (next === null) return null;
    changes.push(next);
    if (pos < end && buf[pos] === COMMA) pos += 1;
    else break;
  }
  byte(CLOSE_BRACKET);
  if (!ok || pos !== end) return null;
  if (seq < 1 || version < 2) return null;
  if (actor.length < 1 || actor.length > 256) return null;
  if (mutationId.length < 1 || mutationId.length > 256) return null;
  if (fp.length < 1 || fp.length > 128) return null;
  if (path.charCodeAt(0) !== 0x2f || (!known?.has(path) && !isCanonicalPath(path))) return null;
  if (!validTime(at)) return null;
  const record: LabelRecord =
    base === undefined
      ? {
          v: 1,
          seq,
          at,
          actor: internString(actor),
          path: path as LabelRecord['path'],
          version,
          mutation_id: mutationId,
          fp,
          changes,
        }
      : {
          v: 1,
          seq,
          at,
          actor: internString(actor),
          path: path as LabelRecord['path'],
          version,
          base,
          mutation_id: mutationId,
          fp,
          changes,
        };
  return record;
}
