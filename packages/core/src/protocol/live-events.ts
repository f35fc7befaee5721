/**
 * The live stream (`GET /events`, Server-Sent Events) as one table: SSE event name → the schema
 * of its data. The server formats every frame through it (`broadcast` is typed per event) and
 * the browser parses every message with it.
 *
 * Stream invariants (docs/api.md, Live stream): `hello` first; then the records after the
 * client's resume point (`item-updated` / `metrics-updated`, the only events with an SSE `id`,
 * which is the record's seq), or `resync-required` and the end of the stream; then one
 * `presence` per non-empty gallery and a `persistence` when labels are not saved normally; then
 * live events in log order. No gap, no duplicate, no reordering of records.
 */
import type * as z from 'zod/mini';
import { folderUpdatedSchema } from './folder-update.ts';
import { helloSchema } from './hello.ts';
import { itemUpdateSchema } from './item-update.ts';
import { persistenceEventSchema } from './persistence-event.ts';
import { presenceCountsSchema } from './presence.ts';
import { resyncSchema } from './resync.ts';
import { tableUpdatedSchema } from './table-update.ts';
import { viewsUpdatedSchema } from './views.ts';

export const LIVE_EVENTS = {
  hello: helloSchema,
  'item-updated': itemUpdateSchema,
  'metrics-updated': itemUpdateSchema,
  presence: presenceCountsSchema,
  persistence: persistenceEventSchema,
  'folder-updated': folderUpdatedSchema,
  'views-updated': viewsUpdatedSchema,
  'table-updated': tableUpdatedSchema,
  'resync-required': resyncSchema,
} as const;

export type LiveEventName = keyof typeof LIVE_EVENTS;

/** The data of live event `E`. */
export type LiveEvent<E extends LiveEventName> = z.infer<(typeof LIVE_EVENTS)[E]>;

/** Events that carry a log record; their SSE id is its seq. */
export type RecordEventName = 'item-updated' | 'metrics-updated';

/** Events sent to every stream at once, without an id (not in the log). */
export type BroadcastEventName = Exclude<
  LiveEventName,
  RecordEventName | 'hello' | 'resync-required'
>;

/** True for a name of the table (an SSE event this protocol defines). */
export function isLiveEventName(name: string): name is LiveEventName {
  return Object.hasOwn(LIVE_EVENTS, name);
}
