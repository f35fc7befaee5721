/**
 * Fields every protocol message shares. Invariants, for every message of `protocol/`:
 * - field names are the original Lenslet's snake_case words, the same in log, snapshot and wire;
 * - every path is canonical (`toCanonicalPath(p) === p`): a browser never sees `a\b.jpg`;
 * - `seq` is a position in the label log (0 = empty log), `version` an image's version (≥ 1);
 * - times are ISO 8601 strings as `Date#toISOString` writes them;
 * - labels travel whole: star (0–5 or null), tags, notes, metrics, version, updated_at/by.
 * Schemas here use `zod/mini` because the browser parses with them (docs/web.md, Size); objects
 * are not strict, so a client ignores fields a newer server adds.
 */
import * as z from 'zod/mini';
import type { LabelField, Labels } from '../labels.ts';
import { type CanonicalPath, isCanonicalPath, MAX_PATH_LENGTH } from '../paths.ts';

/**
 * A printable-ASCII path that is canonical: `/`, or `/`-separated segments that are not `.` or
 * `..` and hold no `/` or `\`. Most paths are like this, and the regex is several times cheaper
 * than `isCanonicalPath` (a listing checks hundreds at once); any other path takes the full check.
 */
const ASCII_CANONICAL = /^(?:\/|(?:\/(?!\.\.?(?:\/|$))[\x20-\x2e\x30-\x5b\x5d-\x7e]+)+)$/;

/** A canonical path (checked, not normalized: a non-canonical path is a protocol error). */
export const canonicalPathSchema = z.custom<CanonicalPath>(
  (value) =>
    typeof value === 'string' &&
    ((value.length <= MAX_PATH_LENGTH && ASCII_CANONICAL.test(value)) || isCanonicalPath(value)),
  { error: 'not a canonical path' },
);

/** A log position: 0 for an empty log. */
export const seqSchema = z.int().check(z.minimum(0));

/** The seq of a record (records start at 1). */
export const recordSeqSchema = z.int().check(z.minimum(1));

/** A count of things (items, clients, bytes). */
export const countSchema = z.int().check(z.minimum(0));

/** An image's version: 1 before any record. */
export const versionSchema = z.int().check(z.minimum(1));

export const starSchema = z.nullable(z.int().check(z.minimum(0), z.maximum(5)));

export const labelFieldSchema = z.enum([
  'star',
  'tags',
  'notes',
  'metrics',
] as const satisfies readonly LabelField[]);

/** One image's labels as they travel (no `field_versions`: those stay on the server). */
export const labelsShape = {
  star: starSchema,
  tags: z.array(z.string()),
  notes: z.string(),
  metrics: z.record(z.string(), z.number()),
  version: versionSchema,
  updated_at: z.nullable(z.string()),
  updated_by: z.nullable(z.string()),
};

/** The label values of `labels` as they travel, copied (the wire order: star, tags, notes, metrics, version). */
export function labelValues(labels: Labels) {
  return {
    star: labels.star,
    tags: [...labels.tags],
    notes: labels.notes,
    metrics: { ...labels.metrics },
    version: labels.version,
  };
}

/** Where an accepted write is: on disk (`saved`), about to be (`relaxed`), or memory only. */
export const persistenceSchema = z.enum(['saved', 'relaxed', 'memory']);

/** The store's state: a persistence, or `failing` while the disk refuses writes. */
export const persistenceStateSchema = z.enum(['saved', 'relaxed', 'memory', 'failing']);

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/**
 * A message as the server builds it: it may share the domain's immutable arrays (a record's
 * `changes`), where a client's parsed copy is its own. `DeepReadonly<ItemUpdate>` is what
 * `toItemUpdate` returns.
 */
export type DeepReadonly<T> = unknown extends T
  ? T
  : T extends Primitive
    ? T
    : T extends readonly (infer U)[]
      ? readonly DeepReadonly<U>[]
      : { readonly [K in keyof T]: DeepReadonly<T[K]> };
