/**
 * The label patch, in the original Lenslet's wire words. Only fields present are touched; tags are
 * applied in the order set_tags, remove_tags, add_tags; `set_star: null` clears the star;
 * `set_metrics` merges and a `null` value deletes that metric. Unknown keys are an error.
 */
import * as z from 'zod';
import { MAX_NOTES_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, METRIC_NAME_PATTERN } from './labels.ts';
import { hasControlChar, hasLoneSurrogate } from './text.ts';

/** Most metric entries one patch may set or delete. */
export const MAX_METRICS_PER_PATCH = 256;

/** A tag: trimmed, NFC, 1–128 characters, no control characters. */
export const tagSchema = z
  .string()
  .trim()
  .min(1, 'tags must not be empty')
  .max(MAX_TAG_LENGTH, `tags are at most ${MAX_TAG_LENGTH} characters`)
  .refine((t) => !hasControlChar(t), 'tags must not contain control characters')
  .refine((t) => !hasLoneSurrogate(t), 'tags must be valid Unicode')
  .transform((t) => t.normalize('NFC'));

const tagListSchema = z
  .array(tagSchema)
  .max(MAX_TAGS, `at most ${MAX_TAGS} tags`)
  .transform((tags) => [...new Set(tags)]);

/** A finite metric value; -0 is stored as 0 so JSON round-trips exactly. */
const metricValueSchema = z
  .number()
  .refine(Number.isFinite, 'metric values must be finite numbers')
  .transform((n) => (Object.is(n, -0) ? 0 : n));

/** Metric name → value, or null to delete the metric. */
export const metricsPatchSchema = z
  .record(
    z.string().regex(METRIC_NAME_PATTERN, 'metric names match [A-Za-z0-9_.:-]{1,64}'),
    metricValueSchema.nullable(),
  )
  .refine(
    (m) => Object.keys(m).length <= MAX_METRICS_PER_PATCH,
    `at most ${MAX_METRICS_PER_PATCH} metrics per request`,
  );

/** PATCH /item body. */
export const patchSchema = z.strictObject({
  base_version: z.number().int().min(1).optional(),
  set_star: z.number().int().min(0).max(5).nullable().optional(),
  set_notes: z
    .string()
    .max(MAX_NOTES_LENGTH, `notes are at most ${MAX_NOTES_LENGTH} characters`)
    .refine((n) => !hasControlChar(n, true), 'notes must not contain control characters')
    .refine((n) => !hasLoneSurrogate(n), 'notes must be valid Unicode')
    .transform((n) => n.normalize('NFC'))
    .optional(),
  set_tags: tagListSchema.optional(),
  add_tags: tagListSchema.optional(),
  remove_tags: tagListSchema.optional(),
  set_metrics: metricsPatchSchema.optional(),
});

/** A validated, normalized patch. */
export type Patch = z.output<typeof patchSchema>;

/** True when the patch sets a field outright (these need an expected version). */
export function hasSetOperation(patch: Patch): boolean {
  return (
    patch.set_star !== undefined || patch.set_notes !== undefined || patch.set_tags !== undefined
  );
}
