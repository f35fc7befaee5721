/**
 * Wire shapes shared by the server (which builds them) and the browser (which parses them at its
 * edge). Field names are the original Lenslet's snake_case words, identical in log and snapshot.
 */
import * as z from 'zod/mini';
import { type Change, changedFields, changeSchema, type LabelRecord } from './events.ts';
import type { LabelField, Labels } from './labels.ts';
import type { CanonicalPath } from './paths.ts';

/** `GET /item` body and the `current` of a conflict: one image's labels at log head `seq`. */
export type Sidecar = {
  v: 1;
  path: CanonicalPath;
  seq: number;
  star: number | null;
  tags: string[];
  notes: string;
  metrics: Record<string, number>;
  version: number;
  updated_at: string | null;
  updated_by: string | null;
};

/** Build the sidecar of `path` as of log head `seq`. */
export function toSidecar(path: CanonicalPath, seq: number, labels: Labels): Sidecar {
  return {
    v: 1,
    path,
    seq,
    star: labels.star,
    tags: [...labels.tags],
    notes: labels.notes,
    metrics: { ...labels.metrics },
    version: labels.version,
    updated_at: labels.updated_at,
    updated_by: labels.updated_by,
  };
}

/** Data of `item-updated` / `metrics-updated`: the full resulting labels plus what changed. */
export type ItemUpdate = {
  seq: number;
  path: CanonicalPath;
  star: number | null;
  tags: string[];
  notes: string;
  metrics: Record<string, number>;
  version: number;
  updated_at: string;
  updated_by: string;
  changed_fields: LabelField[];
  changes: Change[];
  mutation_id: string;
};

/** Build the live-stream payload of a durable record and the labels it produced. */
export function toItemUpdate(record: LabelRecord, labels: Labels): ItemUpdate {
  return {
    seq: record.seq,
    path: record.path,
    star: labels.star,
    tags: [...labels.tags],
    notes: labels.notes,
    metrics: { ...labels.metrics },
    version: labels.version,
    updated_at: record.at,
    updated_by: record.actor,
    changed_fields: changedFields(record.changes),
    changes: [...record.changes],
    mutation_id: record.mutation_id,
  };
}

const labelsShape = {
  star: z.nullable(z.int().check(z.minimum(0), z.maximum(5))),
  tags: z.array(z.string()),
  notes: z.string(),
  metrics: z.record(z.string(), z.number()),
  version: z.int().check(z.minimum(1)),
};

/** Browser-edge parser of a sidecar. */
export const sidecarSchema = z.object({
  v: z.literal(1),
  path: z.string(),
  seq: z.int().check(z.minimum(0)),
  ...labelsShape,
  updated_at: z.nullable(z.string()),
  updated_by: z.nullable(z.string()),
});

/** Browser-edge parser of `item-updated` / `metrics-updated` data. */
export const itemUpdateSchema = z.object({
  seq: z.int().check(z.minimum(1)),
  path: z.string(),
  ...labelsShape,
  updated_at: z.string(),
  updated_by: z.string(),
  changed_fields: z.array(z.enum(['star', 'tags', 'notes', 'metrics'])),
  changes: z.array(changeSchema),
  mutation_id: z.string(),
});

/** SSE `hello` data. */
export const helloSchema = z.object({ seq: z.int().check(z.minimum(0)), log_id: z.string() });

/** SSE `resync-required` data. */
export const resyncSchema = z.object({
  reason: z.enum(['log_replaced', 'ahead_of_head', 'history_unavailable', 'too_far_behind']),
  seq: z.int().check(z.minimum(0)),
});

export type ResyncReason = z.infer<typeof resyncSchema>['reason'];

/** SSE `presence` data. */
export const presenceEventSchema = z.object({
  gallery_id: z.string(),
  viewing: z.int().check(z.minimum(0)),
  editing: z.int().check(z.minimum(0)),
});

/** SSE `persistence` data. */
export const persistenceEventSchema = z.object({
  state: z.enum(['saved', 'relaxed', 'memory', 'failing']),
  error: z.nullable(z.string()),
  since: z.string(),
});

export type PersistenceState = z.infer<typeof persistenceEventSchema>['state'];

/** SSE `folder-updated` data. */
export const folderUpdatedSchema = z.object({
  path: z.string(),
  added: z.int().check(z.minimum(0)),
  removed: z.int().check(z.minimum(0)),
  changed: z.int().check(z.minimum(0)),
});
