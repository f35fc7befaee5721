/**
 * Coalescing of index changes into `FolderUpdate`s: at most one update per folder per interval
 * (500 ms by default). The first change to a quiet folder goes out on the next timer tick (so one
 * burst becomes one update); later changes wait until the interval since that folder's last
 * update has passed, and their counts add up.
 */
import type { CanonicalPath } from '@lenslet/core';
import type { FolderUpdate } from './gallery.ts';

export const FOLDER_UPDATE_INTERVAL_MS = 500;

export type Timers = {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export const REAL_TIMERS: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export type ChangeKind = 'added' | 'removed' | 'changed' | 'touched';

type Pending = { added: number; removed: number; changed: number; due: number };

export interface FolderUpdates {
  /** Count a change in `folder`; 'touched' means its subfolders changed (counts stay 0). */
  record(folder: CanonicalPath, kind: ChangeKind, n?: number): void;
  /** Emit everything pending now, ignoring the interval. */
  flush(): void;
  close(): void;
}

export function createFolderUpdates(
  emit: (update: FolderUpdate) => void,
  options: { interval_ms?: number; timers?: Timers } = {},
): FolderUpdates {
  const interval = options.interval_ms ?? FOLDER_UPDATE_INTERVAL_MS;
  const timers = options.timers ?? REAL_TIMERS;
  const pending = new Map<CanonicalPath, Pending>();
  const lastEmit = new Map<CanonicalPath, number>();
  let timer: unknown = null;
  let timerAt = Number.POSITIVE_INFINITY;
  let closed = false;

  const send = (path: CanonicalPath, p: Pending, now: number) => {
    pending.delete(path);
    lastEmit.set(path, now);
    emit({ path, added: p.added, removed: p.removed, changed: p.changed });
  };

  const fire = () => {
    timer = null;
    timerAt = Number.POSITIVE_INFINITY;
    const now = timers.now();
    for (const [path, p] of [...pending]) if (p.due <= now) send(path, p, now);
    for (const [path, at] of lastEmit)
      if (at + interval <= now && !pending.has(path)) lastEmit.delete(path);
    schedule();
  };

  const schedule = () => {
    if (closed || pending.size === 0) return;
    let next = Number.POSITIVE_INFINITY;
    for (const p of pending.values()) next = Math.min(next, p.due);
    if (next >= timerAt) return;
    if (timer !== null) timers.clearTimeout(timer);
    timerAt = next;
    timer = timers.setTimeout(fire, Math.max(0, next - timers.now()));
  };

  return {
    record(folder, kind, n = 1) {
      if (closed) return;
      let p = pending.get(folder);
      if (p === undefined) {
        const last = lastEmit.get(folder);
        const now = timers.now();
        p = {
          added: 0,
          removed: 0,
          changed: 0,
          due: last === undefined ? now : Math.max(now, last + interval),
        };
        pending.set(folder, p);
      }
      if (kind !== 'touched') p[kind] += n;
      schedule();
    },
    flush() {
      const now = timers.now();
      for (const [path, p] of [...pending]) send(path, p, now);
    },
    close() {
      closed = true;
      if (timer !== null) timers.clearTimeout(timer);
      pending.clear();
    },
  };
}
