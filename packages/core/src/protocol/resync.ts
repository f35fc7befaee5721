/**
 * Live event `resync-required` (SSE): the server cannot resume this stream; it ends it after this
 * event. The client refetches what it shows and reconnects without a resume point.
 *
 * Invariants: sent right after `hello` and instead of any record; `seq` is the head the client
 * should treat as its new start. Reasons: `log_replaced` (another log), `ahead_of_head` (the
 * resume point is past the head), `history_unavailable` (records no longer kept),
 * `too_far_behind` (a refetch is cheaper than the replay).
 */
import * as z from 'zod/mini';
import { seqSchema } from './fields.ts';

export const resyncSchema = z.object({
  reason: z.enum(['log_replaced', 'ahead_of_head', 'history_unavailable', 'too_far_behind']),
  seq: seqSchema,
});

export type ResyncRequired = z.infer<typeof resyncSchema>;
export type ResyncReason = ResyncRequired['reason'];
