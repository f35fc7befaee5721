/**
 * Presence: who looks at which folder. The answers of `POST /presence/join|move|leave` and the
 * live event `presence` (SSE), which carries one gallery's counts.
 *
 * Invariants: `gallery_id` is a canonical folder path; `editing` counts sessions whose last
 * accepted write is recent, `viewing` the other live sessions (a session is counted once). Every
 * answer carries the `lease_id` to send next: keep the latest. Presence never enters the log, so
 * the event has no SSE id; a gallery that empties gets a last event with zeros.
 */
import * as z from 'zod/mini';
import { canonicalPathSchema, countSchema } from './fields.ts';

/** One gallery's counts: the data of the live `presence` event. */
export const presenceCountsSchema = z.object({
  gallery_id: canonicalPathSchema,
  viewing: countSchema,
  editing: countSchema,
});

const session = { client_id: z.string(), lease_id: z.string() };

/** `POST /presence/join` (a join or a heartbeat): the session and its gallery's counts. */
export const presenceJoinAnswerSchema = z.extend(presenceCountsSchema, session);

/** `POST /presence/move`: the counts of both galleries. */
export const presenceMoveAnswerSchema = z.object({
  ...session,
  from_scope: presenceCountsSchema,
  to_scope: presenceCountsSchema,
});

/** `POST /presence/leave` (idempotent: `removed: false` when there was no session). */
export const presenceLeaveAnswerSchema = z.extend(presenceJoinAnswerSchema, {
  removed: z.boolean(),
});

export type PresenceCounts = z.infer<typeof presenceCountsSchema>;
export type PresenceJoinAnswer = z.infer<typeof presenceJoinAnswerSchema>;
export type PresenceMoveAnswer = z.infer<typeof presenceMoveAnswerSchema>;
export type PresenceLeaveAnswer = z.infer<typeof presenceLeaveAnswerSchema>;
