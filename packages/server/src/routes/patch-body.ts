/**
 * The `PATCH /item` body read without zod when it is valid: the hottest route spends more on
 * `patchSchema.safeParse` than on anything else of its own (a profile at 1,000 PATCH/s). This
 * reader applies the same rules as core's `patchSchema` (patch.ts) — same checks, same
 * normalisation (trimmed NFC tags without duplicates, NFC notes, -0 metrics as 0), the output's
 * keys in the schema's order — and gives up (undefined) on anything else, so every invalid or
 * unusual body still goes through zod and gets zod's error message. `patch-body.test.ts` holds
 * the two to the same output on generated bodies.
 */
import {
  hasControlChar,
  hasLoneSurrogate,
  MAX_METRICS_PER_PATCH,
  MAX_NOTES_LENGTH,
  MAX_TAG_LENGTH,
  MAX_TAGS,
  METRIC_NAME_PATTERN,
  type Patch,
} from '@lenslet/core';

/** Marks a value the fast reader does not take (zod decides). */
const GIVE_UP = Symbol('give up');
type Read<T> = T | typeof GIVE_UP;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The patch `body` is, when valid and plain; undefined means: ask zod. */
export function readPatchFast(body: unknown): Patch | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const input = body as Record<string, unknown>;
  let present = 0;
  for (const key in input) {
    if (!Object.hasOwn(input, key) || !KEYS.has(key) || input[key] === undefined) return undefined;
    present += 1;
  }
  if (present !== Object.keys(input).length) return undefined;
  const out: Mutable<Patch> = {};
  // The schema's key order (zod builds its output in that order).
  if ('base_version' in input) {
    const v = input.base_version;
    if (!Number.isSafeInteger(v) || (v as number) < 1) return undefined;
    out.base_version = v as number;
  }
  if ('set_star' in input) {
    const v = input.set_star;
    if (v !== null && (!Number.isSafeInteger(v) || (v as number) < 0 || (v as number) > 5)) {
      return undefined;
    }
    out.set_star = v as number | null;
  }
  if ('set_notes' in input) {
    const notes = readNotes(input.set_notes);
    if (notes === GIVE_UP) return undefined;
    out.set_notes = notes;
  }
  for (const key of TAG_KEYS) {
    if (!(key in input)) continue;
    const tags = readTags(input[key]);
    if (tags === GIVE_UP) return undefined;
    out[key] = tags;
  }
  if ('set_metrics' in input) {
    const metrics = readMetrics(input.set_metrics);
    if (metrics === GIVE_UP) return undefined;
    out.set_metrics = metrics;
  }
  return out;
}

const TAG_KEYS = ['set_tags', 'add_tags', 'remove_tags'] as const;
const KEYS = new Set(['base_version', 'set_star', 'set_notes', ...TAG_KEYS, 'set_metrics']);

function readNotes(value: unknown): Read<string> {
  if (typeof value !== 'string' || value.length > MAX_NOTES_LENGTH) return GIVE_UP;
  if (hasControlChar(value, true) || hasLoneSurrogate(value)) return GIVE_UP;
  return value.normalize('NFC');
}

function readTags(value: unknown): Read<string[]> {
  if (!Array.isArray(value) || value.length > MAX_TAGS) return GIVE_UP;
  const tags: string[] = [];
  for (const raw of value) {
    if (typeof raw !== 'string') return GIVE_UP;
    const tag = raw.trim();
    if (tag.length < 1 || tag.length > MAX_TAG_LENGTH) return GIVE_UP;
    if (hasControlChar(tag) || hasLoneSurrogate(tag)) return GIVE_UP;
    tags.push(tag.normalize('NFC'));
  }
  return [...new Set(tags)];
}

function readMetrics(value: unknown): Read<Record<string, number | null>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return GIVE_UP;
  const input = value as Record<string, unknown>;
  const out: Record<string, number | null> = {};
  let count = 0;
  for (const name in input) {
    // `__proto__` would set the prototype here; zod drops it: leave that to zod.
    if (!Object.hasOwn(input, name) || name === '__proto__') return GIVE_UP;
    if (!METRIC_NAME_PATTERN.test(name)) return GIVE_UP;
    const v = input[name];
    if (v === null) out[name] = null;
    else if (typeof v === 'number' && Number.isFinite(v)) out[name] = Object.is(v, -0) ? 0 : v;
    else return GIVE_UP;
    count += 1;
  }
  if (count > MAX_METRICS_PER_PATCH || count !== Object.keys(input).length) return GIVE_UP;
  return out;
}
