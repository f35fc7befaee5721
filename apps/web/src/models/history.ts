/**
 * Entries of GET /item/history as the browser uses them: the history panel shows them, undo
 * reverts one. Pure.
 */
import { type Change, changeSchema } from '@lenslet/core';

/** One accepted change of one item, newest first in a list. */
export type HistoryRow = {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly version: number;
  readonly changes: readonly Change[];
};

/** The entry with its changes checked against core's `changeSchema`, or null if one is not a change. */
export function toHistoryRow(entry: {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly version: number;
  readonly changes: readonly unknown[];
}): HistoryRow | null {
  const changes: Change[] = [];
  for (const raw of entry.changes) {
    const parsed = changeSchema.safeParse(raw);
    if (!parsed.success) return null;
    changes.push(parsed.data);
  }
  const { seq, at, actor, version } = entry;
  return { seq, at, actor, version, changes };
}

/** Rows of a history answer; throws when one entry is malformed (shown as an error, not skipped). */
export function toHistoryRows(entries: Parameters<typeof toHistoryRow>[0][]): HistoryRow[] {
  return entries.map((entry) => {
    const row = toHistoryRow(entry);
    if (!row) throw new Error(`unexpected answer from the server (history entry ${entry.seq})`);
    return row;
  });
}
