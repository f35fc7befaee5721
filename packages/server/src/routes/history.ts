/**
 * `GET /item/history?path=&limit=&before=`: one item's records, newest first. Each record says
 * who (`actor`), when (`at`), the version it produced and its changes; `star_set`, `notes_set`,
 * `tags_set` and `metrics_set` carry the previous value (`from`), `tags_added` / `tags_removed`
 * list exactly the tags that changed. Page with `before=<next_before>`.
 */
import {
  changedFields,
  type DeepReadonly,
  type HistoryAnswer,
  type HistoryEntry,
  type LabelRecord,
} from '@lenslet/core';
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';
import { queryInt, queryPath, sendWithSeq } from '../http.ts';
import { assertLabelable } from '../label-access.ts';

export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 1000;

function toHistoryEntry(record: LabelRecord): DeepReadonly<HistoryEntry> {
  return {
    seq: record.seq,
    at: record.at,
    actor: record.actor,
    version: record.version,
    mutation_id: record.mutation_id,
    changed_fields: changedFields(record.changes),
    changes: record.changes,
  };
}

export function registerHistory(app: Express, ctx: RouteContext): void {
  const { store } = ctx.deps;
  app.get('/item/history', async (req, res) => {
    const path = queryPath(req);
    const limit = queryInt(req, 'limit', {
      min: 1,
      max: HISTORY_MAX_LIMIT,
      fallback: HISTORY_DEFAULT_LIMIT,
    });
    const before = queryInt(req, 'before', { min: 1, fallback: 0 });
    assertLabelable(ctx, path);
    const head = store.head();
    const version = store.get(path).version;
    // Records that become durable while this is read are not part of this answer (seq = head).
    const until = before === 0 ? head + 1 : Math.min(before, head + 1);
    const records = await store.history(path, { limit, before: until });
    const last = records.at(-1);
    sendWithSeq(res, head, {
      path,
      seq: head,
      version,
      records: records.map(toHistoryEntry),
      next_before: records.length === limit && last !== undefined && last.seq > 1 ? last.seq : null,
    } satisfies DeepReadonly<HistoryAnswer>);
  });
}
