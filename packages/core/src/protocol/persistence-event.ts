/**
 * Live event `persistence` (SSE): where accepted labels go now. Broadcast when the store's state
 * changes, and sent to a new stream after its replay when the state is not `saved`.
 *
 * Invariants: `error` says why while `failing` (the disk's error) or in `memory` mode (why labels
 * are not saved), else null; `since` is when the state last changed. `/health`'s `labels` carries
 * the same three fields. `integrity` (integrity.ts), when present, is the log's integrity now;
 * the event is also broadcast when only it changed (the background history check finished).
 */
import * as z from 'zod/mini';
import { persistenceStateSchema } from './fields.ts';
import { integritySchema } from './integrity.ts';

export const persistenceEventSchema = z.object({
  state: persistenceStateSchema,
  error: z.nullable(z.string()),
  since: z.string(),
  integrity: z.optional(integritySchema),
});

export type PersistenceEvent = z.infer<typeof persistenceEventSchema>;
export type PersistenceState = PersistenceEvent['state'];
