/**
 * The answer of one label write: `PATCH /item`, `PUT /item` and `PUT /item/metrics`.
 *
 * Invariants: sent only once the record is durable (`persistence: "saved"`; `relaxed` or `memory`
 * when the server runs so); `sidecar` is the labels after the write and `sidecar.seq` the
 * record's seq (also `Lenslet-Seq`; the ETag is the new version); `accepted_event` is `{seq}` of
 * the record, or null for a patch that changed nothing (nothing recorded); `rebased` is true when
 * commuting operations were applied on top of a newer version than the request's. A retried
 * Idempotency-Key gets the identical answer.
 */
import * as z from 'zod/mini';
import { persistenceSchema, recordSeqSchema } from './fields.ts';
import { sidecarSchema } from './sidecar.ts';

export const writeAnswerSchema = z.object({
  sidecar: sidecarSchema,
  mutation_id: z.string(),
  accepted_event: z.nullable(z.object({ seq: recordSeqSchema })),
  persistence: persistenceSchema,
  rebased: z.boolean(),
});

export type WriteAnswer = z.infer<typeof writeAnswerSchema>;
