/**
 * Live event `persistence` (SSE): where accepted labels go now. Broadcast when the store's state
 * changes and about a second after each burst of writes (as the original Lenslet does after each
 * flush), and sent to a new stream after its replay when the state is not `saved`.
 *
 * It carries two readings of one status, for two clients: the original Lenslet's sync state
 * (sync-state.ts; its `state` is `saved|failed|disabled`, its client reads `state`, `error`,
 * `boot_epoch` and `durable_watermark`), and Lenslet's own: `labels_state` (`saved`, `relaxed`,
 * `memory`, or `failing` while the disk refuses writes — `/health`'s `labels.state`) and `since`,
 * when it last changed. `error` says why while failing (the disk's error) or in `memory` mode
 * (why labels are not saved), else null.
 * `integrity` (integrity.ts), when present, is the log's integrity now; the event is also
 * broadcast when only it changed (the background history check finished).
 */
import * as z from 'zod/mini';
import { persistenceStateSchema } from './fields.ts';
import { integritySchema } from './integrity.ts';
import { syncStateSchema } from './sync-state.ts';

export const persistenceEventSchema = z.extend(syncStateSchema, {
  labels_state: persistenceStateSchema,
  since: z.string(),
  integrity: z.optional(integritySchema),
});

export type PersistenceEvent = z.infer<typeof persistenceEventSchema>;
export type PersistenceState = PersistenceEvent['labels_state'];
