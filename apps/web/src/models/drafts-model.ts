/**
 * Notes drafts: what the user is typing, per item, saved after a short pause and on blur, and
 * flushed when the item changes or the page hides — switching items never drops a draft. A live
 * update never overwrites a draft; the inspector offers the remote text instead.
 * Owns one save timer per draft; `dispose()` clears them (the page is going away: `flushAll`
 * first if the drafts should be saved).
 */
import type { CanonicalPath } from '@lenslet/core';
import { type ReadonlySignal, signal } from '@preact/signals';

export const NOTES_SAVE_DELAY_MS = 800;

export type Drafts = ReturnType<typeof createDrafts>;

export function createDrafts(deps: {
  /** The notes currently shown (server + pending), to skip saves that change nothing. */
  current: (path: CanonicalPath) => string | null;
  save: (path: CanonicalPath, notes: string) => void;
}) {
  const drafts = signal<ReadonlyMap<CanonicalPath, string>>(new Map());
  const timers = new Map<CanonicalPath, ReturnType<typeof setTimeout>>();

  const flush = (path: CanonicalPath) => {
    const t = timers.get(path);
    if (t) clearTimeout(t);
    timers.delete(path);
    const text = drafts.peek().get(path);
    if (text === undefined) return;
    const next = new Map(drafts.peek());
    next.delete(path);
    drafts.value = next;
    if (deps.current(path) !== text) deps.save(path, text);
  };

  return {
    drafts: drafts as ReadonlySignal<ReadonlyMap<CanonicalPath, string>>,
    /** The draft of one item, if the user is typing one (reactive). */
    of: (path: CanonicalPath): string | undefined => drafts.value.get(path),
    /** The user typed: keep the draft, save after a pause. */
    set(path: CanonicalPath, text: string): void {
      const next = new Map(drafts.peek());
      next.set(path, text);
      drafts.value = next;
      const t = timers.get(path);
      if (t) clearTimeout(t);
      timers.set(
        path,
        setTimeout(() => flush(path), NOTES_SAVE_DELAY_MS),
      );
    },
    flush,
    flushAll(): void {
      for (const path of [...drafts.peek().keys()]) flush(path);
    },
    dispose(): void {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
