/**
 * The answer of one label write: `PATCH /item`, `PUT /item` and `PUT /item/metrics`.
 *
 * Invariants: sent only once the record is durable (`persistence: "saved"`; `relaxed` or `memory`
 * when the server runs so); `sidecar` is the labels after the write and `sidecar.seq` the
 * record's seq (also `Lenslet-Seq`; the ETag is the new version); `accepted_event` names the
 * record — its `seq`, and the same as the original Lenslet's `{boot_epoch, event_id}` (event_id =
 * seq) — or is null for a patch that changed nothing (nothing recorded); `durable_watermark`
 * (sync-state.ts) reaches the record, or the head for a no-op, so the original's client shows
 * the change as saved at once; `rebased` is true when commuting operations were applied on top
 * of a newer version than the request's. A retried Idempotency-Key gets the identical answer.
 *
 * `PUT /item` answers the sidecar's fields at the top level too, as the original did (its
 * scripts read `.star`, `.version`): `putAnswerSchema`.
 */
import * as z from 'zod/mini';
import { persistenceSchema, recordSeqSchema } from './fields.ts';
import { sidecarSchema } from './sidecar.ts';
import { eventIdentitySchema } from './sync-state.ts';

export const writeAnswerSchema = z.object({
  sidecar: sidecarSchema,
  mutation_id: z.string(),
  accepted_event: z.nullable(z.extend(eventIdentitySchema, { seq: recordSeqSchema })),
  persistence: persistenceSchema,
  durable_watermark: eventIdentitySchema,
  rebased: z.boolean(),
});

export const putAnswerSchema = z.extend(writeAnswerSchema, sidecarSchema.shape);

export type WriteAnswer = z.infer<typeof writeAnswerSchema>;
export type PutAnswer = z.infer<typeof putAnswerSchema>;
