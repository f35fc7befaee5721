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
import {
  begin,
  byte,
  bytes,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  digits,
  finished,
  fits,
  literal,
  metricMap,
  sharedText,
  skipByte,
  skipLiteral,
  star,
  tagList,
  text,
} from './canonical-bytes.ts';
import { internString } from './interner.ts';
import { isRecordTime } from './record-shape.ts';

/** What the general path checks paths against (already canonical, not checked again). */
type Known = { has(path: string): boolean } | undefined;

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
const ZERO = 0x30;
const NINE = 0x39;

/** The `at` prefix (date and time to the second) last found valid, to skip the regex next time. */
let lastTimePrefix = '';

function change(): Change | null {
  literal(KIND);
  if (!fits()) return null;
  let result: Change;
  if (skipLiteral(STAR_SET)) {
    const value = star();
    literal(FROM);
    result = { kind: 'star_set', star: value, from: star() };
  } else if (skipLiteral(TAGS_ADDED)) {
    result = { kind: 'tags_added', tags: tagList(1) };
  } else if (skipLiteral(METRICS_SET)) {
    const metrics = metricMap(true);
    literal(FROM);
    result = { kind: 'metrics_set', metrics, from: metricMap(true) };
  } else if (skipLiteral(TAGS_REMOVED)) {
    result = { kind: 'tags_removed', tags: tagList(1) };
  } else if (skipLiteral(TAGS_SET)) {
    const tags = tagList(0);
    literal(FROM);
    result = { kind: 'tags_set', tags, from: tagList(0) };
  } else if (skipLiteral(NOTES_SET)) {
    const notes = text();
    literal(FROM);
    result = { kind: 'notes_set', notes, from: text() };
  } else return null;
  byte(CLOSE_BRACE);
  return fits() ? result : null;
}

/** True when `at` is a valid record time (the regex runs once per distinct second). */
function validTime(at: string): boolean {
  if (at.length === 24 && at.charCodeAt(19) === 0x2e && at.charCodeAt(23) === 0x5a) {
    if (samePrefix(at)) return isDigitCode(at, 20) && isDigitCode(at, 21) && isDigitCode(at, 22);
    if (!isRecordTime(at)) return false;
    lastTimePrefix = at.slice(0, 19);
    return true;
  }
  return isRecordTime(at);
}

/** Whether `at` starts with `lastTimePrefix` (compared in place: no slice per record). */
function samePrefix(at: string): boolean {
  const prefix = lastTimePrefix;
  if (prefix.length !== 19) return false;
  for (let i = 18; i >= 0; i--) if (at.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  return true;
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
  begin(source, start, bodyEnd);
  literal(OPEN);
  const seq = digits();
  literal(AT);
  const at = text();
  literal(ACTOR);
  const actor = sharedText();
  literal(PATH);
  const path = text();
  literal(VERSION);
  const version = digits();
  let base: number | undefined;
  if (skipLiteral(BASE)) {
    base = digits();
    if (base < 1) return null;
  }
  literal(MUTATION_ID);
  const mutationId = text();
  literal(FP);
  const fp = text();
  literal(CHANGES);
  // Most records hold one change: a one-element literal (`push` onto [] reserves 17 slots).
  const first = change();
  if (first === null) return null;
  const changes: Change[] = [first];
  while (skipByte(COMMA)) {
    const next = change();
    if (next === null) return null;
    changes.push(next);
  }
  byte(CLOSE_BRACKET);
  if (!finished()) return null;
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
