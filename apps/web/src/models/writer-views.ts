/**
 * What the writer's outbox looks like to the rest of the app: this tab's entries by state and by
 * item, another gallery's entries, and the sync status. Derived signals only (no effects).
 */
import type { CanonicalPath } from '@lenslet/core';
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import type { OutboxEntry } from '../outbox.ts';

/** 'saved' | 'saving' | 'retrying' (the last attempt failed: Not saved — retry). */
export type SyncStatus = 'saved' | 'saving' | 'retrying';

const NONE: readonly OutboxEntry[] = Object.freeze([]);

export function createWriterViews(
  entries: ReadonlySignal<ReadonlyMap<string, OutboxEntry>>,
  clientId: string,
  logId: () => string | null,
) {
  /** Attempts that failed since the last success (a 2xx resets it to 0). */
  const failures = signal(0);
  const mine = (e: OutboxEntry) => e.owner === clientId;
  const current = (e: OutboxEntry) => e.log_id === null || e.log_id === logId();

  const all = computed(() => [...entries.value.values()].filter(mine));
  const inState = (state: OutboxEntry['state']) =>
    computed(() => all.value.filter((e) => e.state === state && current(e)));
  const pending = inState('pending');
  /** This tab's entries per item (for the optimistic display and conflict badges). */
  const byPath = computed(() => {
    const map = new Map<CanonicalPath, OutboxEntry[]>();
    for (const e of all.value) {
      if (!current(e)) continue;
      const list = map.get(e.path);
      if (list) list.push(e);
      else map.set(e.path, [e]);
    }
    return map;
  });

  return {
    failures,
    mine,
    current,
    pending,
    conflicts: inState('conflict'),
    failed: inState('failed'),
    /** Entries of another gallery (any tab's): never sent here. */
    foreign: computed(() => {
      const log = logId();
      return log === null
        ? []
        : [...entries.value.values()].filter((e) => e.log_id !== null && e.log_id !== log);
    }),
    status: computed<SyncStatus>(() => {
      if (pending.value.length === 0) return 'saved';
      return failures.value > 0 ? 'retrying' : 'saving';
    }),
    entriesOf: (path: CanonicalPath): readonly OutboxEntry[] => byPath.value.get(path) ?? NONE,
    /** This tab's pending entries of one item, oldest first (not reactive: for the writer). */
    pendingOf: (path: CanonicalPath): OutboxEntry[] =>
      [...entries.peek().values()]
        .filter((e) => e.path === path && mine(e) && current(e) && e.state === 'pending')
        .sort((a, b) => a.created_at - b.created_at),
  };
}
