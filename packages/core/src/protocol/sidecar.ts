/**
 * The sidecar: one image's labels as of a log position. It is the answer of `GET /item`, the
 * `sidecar` of every write answer, and the `current` of a version conflict.
 *
 * Invariants: `seq` is the log head the labels reflect (for a write: the record's seq), so a
 * client that resumes the live stream from it misses nothing; an image never labeled is at
 * version 1 with empty labels and `updated_at`/`updated_by` null; `v` is the format, always 1.
 * `table_fields` (the original Lenslet's words, only when a table is served): the row's scalar
 * string columns with a value (null when none); not part of the labels, never in the log.
 */
import * as z from 'zod/mini';
import type { Labels } from '../labels.ts';
import type { CanonicalPath } from '../paths.ts';
import { canonicalPathSchema, labelsShape, labelValues, seqSchema } from './fields.ts';

export const sidecarSchema = z.object({
  v: z.literal(1),
  path: canonicalPathSchema,
  seq: seqSchema,
  ...labelsShape,
  table_fields: z.optional(z.nullable(z.record(z.string(), z.string()))),
});

export type Sidecar = z.infer<typeof sidecarSchema>;

/** Build the sidecar of `path` as of log head `seq`. */
export function toSidecar(path: CanonicalPath, seq: number, labels: Labels): Sidecar {
  return {
    v: 1,
    path,
    seq,
    ...labelValues(labels),
    updated_at: labels.updated_at,
    updated_by: labels.updated_by,
  };
}
