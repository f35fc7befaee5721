/**
 * Live events `item-updated` and `metrics-updated` (SSE): one durable log record.
 *
 * Invariants: the SSE `id` is the record's `seq`, and only these two events carry one, so a
 * browser's `Last-Event-ID` is always a log position. The data is the full labels after the
 * record (authoritative as of `version`) plus what changed: `changes` are the record's facts
 * (with `from` values), the same objects the log stores. `metrics-updated` is used when every
 * change is `metrics_set`. A client applies an update only on top of `version - 1`.
 *
 * For the original Lenslet's client, a frame also says it is durable: `accepted_event` and
 * `durable_watermark` (sync-state.ts) both name the record (`event_id` = seq), and `persistence`
 * is where it went (`saved`, `relaxed`, `memory`, as in a write answer).
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
  persistenceSchema,
  recordSeqSchema,
} from './fields.ts';
import { eventIdentitySchema } from './sync-state.ts';

export const itemUpdateSchema = z.object({
  seq: recordSeqSchema,
  path: canonicalPathSchema,
  ...labelsShape,
  updated_at: z.string(),
  updated_by: z.string(),
  changed_fields: z.array(labelFieldSchema),
  changes: z.array(changeSchema),
  mutation_id: z.string(),
  accepted_event: eventIdentitySchema,
  persistence: persistenceSchema,
  durable_watermark: eventIdentitySchema,
});

export type ItemUpdate = z.infer<typeof itemUpdateSchema>;

/** Where the server's records go, for the frames it builds. */
export type FrameDurability = {
  readonly boot_epoch: string;
  readonly persistence: ItemUpdate['persistence'];
};

/** Build the live-stream payload of a durable record and the labels it produced. */
export function toItemUpdate(
  record: LabelRecord,
  labels: Labels,
  durability: FrameDurability,
): DeepReadonly<ItemUpdate> {
  const event = { boot_epoch: durability.boot_epoch, event_id: record.seq };
  return {
    seq: record.seq,
    path: record.path,
    ...labelValues(labels),
    updated_at: record.at,
    updated_by: record.actor,
    changed_fields: changedFields(record.changes),
    changes: [...record.changes],
    mutation_id: record.mutation_id,
    accepted_event: event,
    persistence: durability.persistence,
    durable_watermark: event,
  };
}
