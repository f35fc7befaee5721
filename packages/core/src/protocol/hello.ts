/**
 * Live event `hello` (SSE): the first event of every stream, sent with a `retry:` hint.
 *
 * Invariants: `seq` is the log head when the stream was registered (records after it follow,
 * replayed or live, with no gap); `log_id` names this workspace's log. A client keeps both and
 * resumes with `Last-Event-ID: <last seq>` and `?log_id=`; a different `log_id` means its state
 * came from another log and must be refetched.
 */
import * as z from 'zod/mini';
import { seqSchema } from './fields.ts';

export const helloSchema = z.object({ seq: seqSchema, log_id: z.string() });

export type Hello = z.infer<typeof helloSchema>;
