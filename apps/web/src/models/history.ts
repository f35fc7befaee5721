/**
 * Entries of GET /item/history as the browser uses them: the history panel shows them, undo
 * reverts one. `api.history` has already parsed them with core's protocol schema (a malformed
 * entry is refused there, with the route and field named), so a row is the entry itself.
 */
import type { HistoryEntry } from '@lenslet/core';

/** One accepted change of one item, newest first in a list. */
export type HistoryRow = HistoryEntry;
