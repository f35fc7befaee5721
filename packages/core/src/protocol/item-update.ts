/**
 * Live events `item-updated` and `metrics-updated` (SSE): one durable log record.
 *
 * Invariants: the SSE `id` is the record's `seq`, and only these two events carry one, so a
 * browser's `Last-Event-ID` is always a log position. The data is the full labels after the
 * record (authoritative as of `version`) plus what changed: `changes` are the record's facts
 * (with `from` values), the same objects the log stores. `metrics-updated` is used when every
 * change is `metrics_set`. A client applies an update only on top of `version - 1`.
 */
import * as z from 'zod/mini';
import { changedFields, changeSchema, type LabelRecord } from '../events.ts';
import type { Labels } from '../labels.ts';
import {
  canonicalPathSchema,
  type DeepReadonly,
  labelFieldSchema,
  labelsShape,
  labelValues,
  recordSeqSchema,
} from './fields.ts';

export const itemUpdateSchema = z.object({
  seq: recordSeqSchema,
  path: canonicalPathSchema,
  ...labelsShape,
  updated_at: z.string(),
  updated_by: z.string(),
  changed_fields: z.array(labelFieldSchema),
  changes: z.array(changeSchema),
  mutation_id: z.string(),
});

export type ItemUpdate = z.infer<typeof itemUpdateSchema>;

/** Build the live-stream payload of a durable record and the labels it produced. */
export function toItemUpdate(record: LabelRecord, labels: Labels): DeepReadonly<ItemUpdate> {
  return {
    seq: record.seq,
    path: record.path,
    ...labelValues(labels),
    updated_at: record.at,
    updated_by: record.actor,
    changed_fields: changedFields(record.changes),
    changes: [...record.changes],
    mutation_id: record.mutation_id,
  };
}
