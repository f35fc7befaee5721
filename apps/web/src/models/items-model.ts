/**
 * The browser's copy of every item it has loaded: file facts and server-confirmed labels, one
 * signal each so only the card that changed re-renders. Live updates apply by version
 * (`applyUpdate`); fetched labels never replace newer ones. Updates for items not loaded yet are
 * remembered (bounded) so a page that arrives later with older labels is brought up to date.
 * Signals only (one set per item): no effects or timers.
 */
import type { CanonicalPath, ItemUpdate, Labels, Sidecar } from '@lenslet/core';
import { type Signal, signal } from '@preact/signals';
import { type ItemMeta, type ListedItem, toLabels } from '../api.ts';
import { applyUpdate, newer } from './apply-update.ts';

/** Most updates remembered for items that are not loaded. */
export const MAX_REMEMBERED_UPDATES = 5_000;

export type ItemEntry = {
  readonly path: CanonicalPath;
  readonly meta: Signal<ItemMeta | null>;
  /** Labels as the server last confirmed them. */
  readonly labels: Signal<Labels>;
  /** Time of the last change by someone else (cards flash briefly). */
  readonly flash: Signal<number>;
};

/** Same file facts as far as a card shows them: the rendering, the file's presence, the fields. */
function sameMeta(a: ItemMeta | null, b: ItemMeta): boolean {
  if (a?.thumb_url !== b.thumb_url || a.missing !== b.missing) return false;
  const fa = a.fields ?? {};
  const fb = b.fields ?? {};
  const keys = Object.keys(fb);
  return (
    keys.length === Object.keys(fa).length &&
    keys.every((k) => JSON.stringify(fa[k]) === JSON.stringify(fb[k]))
  );
}

export type UpdateOutcome = 'applied' | 'ignored' | 'not_loaded';

export type ItemStore = ReturnType<typeof createItemStore>;

export function createItemStore() {
  const entries = new Map<CanonicalPath, ItemEntry>();
  const remembered = new Map<CanonicalPath, ItemUpdate>();

  const create = (path: CanonicalPath, labels: Labels, meta: ItemMeta | null): ItemEntry => {
    const entry: ItemEntry = {
      path,
      meta: signal(meta),
      labels: signal(labels),
      flash: signal(0),
    };
    entries.set(path, entry);
    return entry;
  };

  /** Fetched labels, brought up to date by a remembered update when that is newer. */
  const fresh = (path: CanonicalPath, fetched: Labels): Labels => {
    const update = remembered.get(path);
    if (!update) return fetched;
    remembered.delete(path);
    return update.version > fetched.version ? toLabels(update) : fetched;
  };

  return {
    get: (path: CanonicalPath) => entries.get(path),

    /** Store a listed item (file facts + labels); returns its entry. */
    putListed(item: ListedItem): ItemEntry {
      const path = item.meta.path;
      const existing = entries.get(path);
      const labels = fresh(path, item.labels);
      if (!existing) return create(path, labels, item.meta);
      if (!sameMeta(existing.meta.peek(), item.meta)) existing.meta.value = item.meta;
      const next = newer(existing.labels.peek(), labels);
      if (next !== existing.labels.peek()) existing.labels.value = next;
      return existing;
    },

    /** Labels from GET /item, a write's answer or a conflict's `current`. */
    putSidecar(sidecar: Sidecar): void {
      const path = sidecar.path;
      const labels = fresh(path, toLabels(sidecar));
      const existing = entries.get(path);
      if (!existing) {
        create(path, labels, null);
        return;
      }
      const next = newer(existing.labels.peek(), labels);
      if (next !== existing.labels.peek()) existing.labels.value = next;
    },

    /** Apply a live update by the version rule. */
    applyUpdate(update: ItemUpdate): UpdateOutcome {
      const path = update.path as CanonicalPath;
      const entry = entries.get(path);
      if (!entry) {
        const known = remembered.get(path);
        if (!known || known.version < update.version) {
          remembered.delete(path);
          remembered.set(path, update);
          if (remembered.size > MAX_REMEMBERED_UPDATES) {
            remembered.delete(remembered.keys().next().value!);
          }
        }
        return 'not_loaded';
      }
      const next = applyUpdate(entry.labels.peek(), update);
      if (!next) return 'ignored';
      entry.labels.value = next;
      return 'applied';
    },

    /** Someone else changed `path`: its card flashes. */
    flash(path: CanonicalPath): void {
      const entry = entries.get(path);
      if (entry) entry.flash.value = Date.now();
    },

    /** Forget everything (the server's log was replaced: versions are not comparable). */
    reset(): void {
      entries.clear();
      remembered.clear();
    },

    get size() {
      return entries.size;
    },
  };
}
