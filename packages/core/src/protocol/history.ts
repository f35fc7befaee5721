/**
 * `GET /item/history`: one image's records, newest first, a page at a time.
 *
 * Invariants: each entry is one log record without its fingerprint: who (`actor`), when (`at`),
 * the version it produced and its `changes`, the same facts the log stores (`star_set`,
 * `notes_set`, `tags_set` and `metrics_set` carry the previous value `from`; `tags_added` /
 * `tags_removed` list exactly the tags that changed). `seq` is the head the answer reflects and
 * `version` the image's version at it; `next_before` is the `before=` of the next page, or null.
 */
import * as z from 'zod/mini';
import { changeSchema } from '../events.ts';
import {
  canonicalPathSchema,
  labelFieldSchema,
  recordSeqSchema,
  seqSchema,
  versionSchema,
} from './fields.ts';

export const historyEntrySchema = z.object({
  seq: recordSeqSchema,
  at: z.string(),
  actor: z.string(),
  version: versionSchema,
  mutation_id: z.string(),
  changed_fields: z.array(labelFieldSchema),
  changes: z.array(changeSchema),
});

export const historyAnswerSchema = z.object({
  path: canonicalPathSchema,
  seq: seqSchema,
  version: versionSchema,
  records: z.array(historyEntrySchema),
  next_before: z.nullable(recordSeqSchema),
});

export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type HistoryAnswer = z.infer<typeof historyAnswerSchema>;
