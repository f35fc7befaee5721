/**
 * The in-memory mirror of the durable outbox: every entry as a signal the UI reads at once, and
 * every change written through to the store (IndexedDB) in order, per entry. A write the store
 * refuses (quota, a broken database) is reported and remembered: the writer does not send an
 * entry until a write of it has succeeded.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import type { OutboxEntry, OutboxStore } from '../outbox.ts';
import type { Report } from './errors-model.ts';

export type OutboxModel = ReturnType<typeof createOutboxModel>;

export function createOutboxModel(store: OutboxStore, report: Report) {
  const entries = signal<ReadonlyMap<string, OutboxEntry>>(new Map());
  /** Entry id → its last store operation: true once done, false when the store refused it. */
  const writes = new Map<string, Promise<boolean>>();
  /** Entries whose last write was refused. */
  const refused = new Set<string>();

  const queue = (id: string, what: string, op: () => Promise<void>): Promise<boolean> => {
    const p = (writes.get(id) ?? Promise.resolve(true)).then(op).then(
      () => {
        refused.delete(id);
        return true;
      },
      (error: unknown) => {
        refused.add(id);
        report(what, error);
        return false;
      },
    );
    writes.set(id, p);
    return p;
  };

  const put = (entry: OutboxEntry): Promise<boolean> => {
    const next = new Map(entries.peek());
    next.set(entry.id, entry);
    entries.value = next;
    return queue(entry.id, 'Keeping your edit in this browser', () => store.put(entry));
  };

  return {
    entries: entries as ReadonlySignal<ReadonlyMap<string, OutboxEntry>>,
    get: (id: string) => entries.peek().get(id),
    put,

    remove(id: string): Promise<boolean> {
      const next = new Map(entries.peek());
      next.delete(id);
      entries.value = next;
      const p = queue(id, 'Removing a saved edit from this browser', () => store.delete(id));
      void p.then(() => {
        if (writes.get(id) === p) writes.delete(id);
      });
      return p;
    },

    /** Resolves true once `entry` is in the store, writing it again if its last write failed. */
    durable(entry: OutboxEntry): Promise<boolean> {
      if (refused.has(entry.id)) return put(entry);
      return writes.get(entry.id) ?? Promise.resolve(true);
    },

    /** Entries loaded from the store (another tab's, or a previous page load's). */
    load: () => store.all(),
    /** Write an adopted entry (now this tab's) straight to the store. */
    adopt: (entry: OutboxEntry) => store.put(entry),
    /** Replace the mirror (after a load). */
    replace(next: ReadonlyMap<string, OutboxEntry>): void {
      entries.value = next;
    },
  };
}
