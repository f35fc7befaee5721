/**
 * A hand-written check of a parsed log line against core's `recordSchema`, used on the recovery
 * hot path: zod costs about 2.5 µs per record, which alone would take half of the 5 s budget for
 * recovering 1,000,000 records. `record-shape.test.ts` property-tests that both accept exactly the
 * same values. Anything that reaches the store from outside still goes through zod.
 */
import type { LabelRecord } from '@lenslet/core';

// Same grammar as zod's `z.iso.datetime()`: calendar-valid date, seconds required, optional
// fraction, `Z` only.
const DATE =
  '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))';
const DATETIME = new RegExp(`^${DATE}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?Z$`);

/** True when `value` is a record time: an ISO time in UTC, as `z.iso.datetime()` accepts. */
export function isRecordTime(value: string): boolean {
  return DATETIME.test(value);
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

function isText(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function isStar(value: unknown): boolean {
  return value === null || (isInt(value, 0) && value <= 5);
}

function isTagList(value: unknown, minItems: number): boolean {
  if (!Array.isArray(value) || value.length < minItems) return false;
  for (const tag of value) if (typeof tag !== 'string' || tag.length < 1) return false;
  return true;
}

function isMetricMap(value: unknown): boolean {
  if (!isObject(value)) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const v = value[key];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) return false;
  }
  return true;
}

/** Exactly the keys `kind` + a (+ b): own enumerable keys, counted without allocating. */
function hasOnly(obj: Obj, a: string, b?: string): boolean {
  let count = 0;
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    if (key !== 'kind' && key !== a && key !== b) return false;
    count += 1;
  }
  return (
    count === (b === undefined ? 2 : 3) &&
    Object.hasOwn(obj, a) &&
    (b === undefined || Object.hasOwn(obj, b))
  );
}

function isChange(value: unknown): boolean {
  if (!isObject(value)) return false;
  switch (value.kind) {
    case 'star_set':
      return hasOnly(value, 'star', 'from') && isStar(value.star) && isStar(value.from);
    case 'notes_set':
      return (
        hasOnly(value, 'notes', 'from') &&
        typeof value.notes === 'string' &&
        typeof value.from === 'string'
      );
    case 'tags_set':
      return hasOnly(value, 'tags', 'from') && isTagList(value.tags, 0) && isTagList(value.from, 0);
    case 'tags_added':
    case 'tags_removed':
      return hasOnly(value, 'tags') && isTagList(value.tags, 1);
    case 'metrics_set':
      return (
        hasOnly(value, 'metrics', 'from') && isMetricMap(value.metrics) && isMetricMap(value.from)
      );
    default:
      return false;
  }
}

function isRecordKey(key: string, withCrc: boolean): boolean {
  switch (key) {
    case 'v':
    case 'seq':
    case 'at':
    case 'actor':
    case 'path':
    case 'version':
    case 'base':
    case 'mutation_id':
    case 'fp':
    case 'changes':
      return true;
    case 'crc':
      return withCrc;
    default:
      return false;
  }
}

/**
 * Why `value` is not a valid record per `recordSchema`, or null when it is one. `withCrc`: the
 * object is a whole log line, which also carries `crc` (checked by the codec).
 */
export function recordShapeProblem(value: unknown, withCrc = false): string | null {
  if (!isObject(value)) return 'not a JSON object';
  for (const key in value) {
    if (Object.hasOwn(value, key) && !isRecordKey(key, withCrc)) return `unknown field "${key}"`;
  }
  if (value.v !== 1) return 'field "v" must be 1';
  if (!isInt(value.seq, 1)) return 'field "seq" must be an integer ≥ 1';
  if (typeof value.at !== 'string' || !DATETIME.test(value.at))
    return 'field "at" must be an ISO time in UTC';
  if (!isText(value.actor, 1, 256)) return 'field "actor" must be 1–256 characters';
  if (typeof value.path !== 'string' || !value.path.startsWith('/'))
    return 'field "path" must start with /';
  if (!isInt(value.version, 2)) return 'field "version" must be an integer ≥ 2';
  if ('base' in value && !isInt(value.base, 1)) return 'field "base" must be an integer ≥ 1';
  if (!isText(value.mutation_id, 1, 256)) return 'field "mutation_id" must be 1–256 characters';
  if (!isText(value.fp, 1, 128)) return 'field "fp" must be 1–128 characters';
  const changes = value.changes;
  if (!Array.isArray(changes) || changes.length < 1)
    return 'field "changes" must be a non-empty list';
  for (let i = 0; i < changes.length; i++) {
    if (!isChange(changes[i])) return `changes[${i}] is not a valid change`;
  }
  return null;
}

/** Narrowing form of `recordShapeProblem`. */
export function isRecordShape(value: unknown): value is LabelRecord {
  return recordShapeProblem(value) === null;
}
