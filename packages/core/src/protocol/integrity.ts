/**
 * Integrity of a label log, as `/health` (`labels.integrity`) and the live `persistence` event
 * report it: what start-up recovery cut, and what the background check of old history found.
 *
 * Invariants:
 * - `recovered` is non-null only when this server, starting, cut an interrupted write from the
 *   end of the log: bytes of a group commit that never reached the disk whole, so none of its
 *   `records` was ever acknowledged (their clients got an error or no answer) and none is
 *   applied; the bytes are kept under `quarantine` (workspace-relative). Writes go on normally.
 * - `history` is the check of the records a snapshot covers (read at start-up only through the
 *   snapshot): `pending` → `checking` → `ok` or `damaged` (`problem` names file, line and the
 *   repair command), or `failed` when the files could not be read (`problem` says why).
 *   `through_seq` is the last seq it covers (0: nothing to check). A damaged history does not
 *   stop writes; `/health`'s `ok` turns false so a monitor notices.
 */
import * as z from 'zod/mini';
import { countSchema, seqSchema } from './fields.ts';

export const historyCheckStateSchema = z.enum(['pending', 'checking', 'ok', 'damaged', 'failed']);

export const integritySchema = z.object({
  recovered: z.nullable(
    z.object({
      at: z.string(),
      message: z.string(),
      bytes: countSchema,
      records: countSchema,
      quarantine: z.string(),
    }),
  ),
  history: z.object({
    state: historyCheckStateSchema,
    through_seq: seqSchema,
    problem: z.nullable(z.string()),
  }),
});

export type Integrity = z.infer<typeof integritySchema>;
export type HistoryCheckState = Integrity['history']['state'];
