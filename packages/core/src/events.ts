/**
 * Recorded changes and log records. A record is the past-tense fact of one accepted patch on one
 * image; each change carries the previous value (`from`) and lists only tags that really changed,
 * so the record's inverse is exact. Records are what the log stores, snapshots fold, SSE streams
 * and the browser applies. Only the store assigns `seq`.
 */
import * as z from 'zod/mini';
import type { LabelField } from './labels.ts';
import type { CanonicalPath } from './paths.ts';

export type Change =
  | { readonly kind: 'star_set'; readonly star: number | null; readonly from: number | null }
  | { readonly kind: 'notes_set'; readonly notes: string; readonly from: string }
  | {
      readonly kind: 'tags_set';
      readonly tags: readonly string[];
      readonly from: readonly string[];
    }
  | { readonly kind: 'tags_added'; readonly tags: readonly string[] }
  | { readonly kind: 'tags_removed'; readonly tags: readonly string[] }
  | {
      readonly kind: 'metrics_set';
      readonly metrics: Readonly<Record<string, number | null>>;
      readonly from: Readonly<Record<string, number | null>>;
    };

/** One accepted patch on one image (one JSONL line without its crc). */
export type LabelRecord = {
  readonly v: 1;
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly path: CanonicalPath;
  /** The image's version after this record. */
  readonly version: number;
  /** The expected version the request carried, when it carried one. */
  readonly base?: number;
  readonly mutation_id: string;
  readonly fp: string;
  readonly changes: readonly Change[];
};

const starSchema = z.nullable(z.int().check(z.minimum(0), z.maximum(5)));
const tagsSchema = z.array(z.string().check(z.minLength(1)));
const someTagsSchema = z.array(z.string().check(z.minLength(1))).check(z.minLength(1));
const metricsSchema = z.record(z.string(), z.nullable(z.number()));

/** One change as stored on disk or sent over SSE. */
export const changeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('star_set'), star: starSchema, from: starSchema }),
  z.strictObject({ kind: z.literal('notes_set'), notes: z.string(), from: z.string() }),
  z.strictObject({ kind: z.literal('tags_set'), tags: tagsSchema, from: tagsSchema }),
  z.strictObject({ kind: z.literal('tags_added'), tags: someTagsSchema }),
  z.strictObject({ kind: z.literal('tags_removed'), tags: someTagsSchema }),
  z.strictObject({ kind: z.literal('metrics_set'), metrics: metricsSchema, from: metricsSchema }),
]);

/** A log record read back from disk (the disk is not trusted). `path` is checked by the caller. */
export const recordSchema = z.strictObject({
  v: z.literal(1),
  seq: z.int().check(z.minimum(1)),
  at: z.iso.datetime(),
  actor: z.string().check(z.minLength(1), z.maxLength(256)),
  path: z.string().check(z.startsWith('/')),
  version: z.int().check(z.minimum(2)),
  base: z.optional(z.int().check(z.minimum(1))),
  mutation_id: z.string().check(z.minLength(1), z.maxLength(256)),
  fp: z.string().check(z.minLength(1), z.maxLength(128)),
  changes: z.array(changeSchema).check(z.minLength(1)),
});

/** The label fields a record touched, in a fixed order: star, tags, notes, metrics. */
export function changedFields(changes: readonly Change[]): LabelField[] {
  const touched = new Set<LabelField>();
  for (const change of changes) {
    switch (change.kind) {
      case 'star_set':
        touched.add('star');
        break;
      case 'notes_set':
        touched.add('notes');
        break;
      case 'tags_set':
      case 'tags_added':
      case 'tags_removed':
        touched.add('tags');
        break;
      case 'metrics_set':
        touched.add('metrics');
        break;
    }
  }
  return (['star', 'tags', 'notes', 'metrics'] as const).filter((f) => touched.has(f));
}

/** True when a record only changes metrics (it travels as `metrics-updated`). */
export function isMetricsOnly(changes: readonly Change[]): boolean {
  return changes.every((c) => c.kind === 'metrics_set');
}
