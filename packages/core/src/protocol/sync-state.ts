/**
 * The original Lenslet's durability report, which its web client's "Saved" indicator follows:
 * `GET /sync/state`, `/health`'s `labels.persistence`, and the live `persistence` event all carry
 * it; PATCH answers and `item-updated` frames carry its `{boot_epoch, event_id}` identities.
 *
 * Invariants: `boot_epoch` names the label log (its `log_id`: a tab that waited for an event of
 * another epoch checks it again — the original starts one per process); an event id is a
 * record's seq; `durable_watermark.event_id` is the durable head, so every record at or below
 * it is on disk (fsync) or acknowledged as `--durability relaxed` promises. Lenslet answers a
 * write only once it is durable, so nothing is ever pending (`pending_count: 0`, no queue:
 * `max_pending_*: 0`). `state`: `saved`; `failed` while the disk refuses writes (with `error`);
 * `disabled` (and `enabled: false`) when labels live in memory only; never `pending`.
 */
import * as z from 'zod/mini';
import { countSchema, seqSchema } from './fields.ts';

/** Which accepted write, or how far the durable writes reach: `{boot_epoch, event_id}`. */
export const eventIdentitySchema = z.object({ boot_epoch: z.string(), event_id: seqSchema });

export const syncStateSchema = z.object({
  enabled: z.boolean(),
  boot_epoch: z.string(),
  state: z.enum(['disabled', 'pending', 'saved', 'failed']),
  durable_watermark: eventIdentitySchema,
  pending_count: countSchema,
  pending_bytes: countSchema,
  max_pending_count: countSchema,
  max_pending_bytes: countSchema,
  oldest_pending_age_ms: z.nullable(z.number()),
  error: z.nullable(z.string()),
  failure_total: countSchema,
  deadline_breach_total: countSchema,
});

export type EventIdentity = z.infer<typeof eventIdentitySchema>;
export type SyncState = z.infer<typeof syncStateSchema>;
