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

    /**
     * (Re)load the store into the mirror. Entries of a tab that is gone (`ownerAlive` says no:
     * closed, crashed) become `clientId`'s, in the store too; other tabs' stay theirs.
     */
    async load(clientId: string, ownerAlive?: (owner: string) => Promise<boolean>): Promise<void> {
      const loaded = await store.all();
      const map = new Map(entries.peek());
      let changed = false;
      for (const e of loaded) {
        if (e.owner !== clientId && !(await ownerAlive?.(e.owner))) {
          const adopted = { ...e, owner: clientId };
          await store.put(adopted);
          map.set(adopted.id, adopted);
          changed = true;
        } else if (!map.has(e.id)) {
          map.set(e.id, e);
          changed = true;
        }
      }
      if (changed) entries.value = map;
    },
  };
}
