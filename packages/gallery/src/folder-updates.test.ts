import type { CanonicalPath } from '@lenslet/core';
import { expect, test } from 'vitest';
import { createFolderUpdates, type Timers } from './folder-updates.ts';
import type { FolderUpdate } from './gallery.ts';

const P = (s: string) => s as CanonicalPath;

/** Manual clock: `advance(ms)` runs due timers in order. */
function manualTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let id = 0;
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: ++id });
      return id;
    },
    clearTimeout: (h) => {
      timers = timers.filter((t) => t.id !== h);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (next === undefined || next.at > end) break;
        timers.shift();
        now = next.at;
        next.fn();
      }
      now = end;
    },
  };
}

test('a burst becomes one update; later changes wait for the interval and add up', () => {
  const timers = manualTimers();
  const out: (FolderUpdate & { at: number })[] = [];
  const u = createFolderUpdates((x) => out.push({ ...x, at: timers.now() }), { timers });
  u.record(P('/a'), 'added');
  u.record(P('/a'), 'added');
  u.record(P('/a'), 'removed');
  timers.advance(0);
  expect(out).toEqual([{ path: '/a', added: 2, removed: 1, changed: 0, at: 0 }]);
  timers.advance(100);
  u.record(P('/a'), 'changed');
  timers.advance(100);
  u.record(P('/a'), 'changed', 3);
  timers.advance(200);
  expect(out).toHaveLength(1);
  timers.advance(100);
  expect(out[1]).toEqual({ path: '/a', added: 0, removed: 0, changed: 4, at: 500 });
});

test('folders are throttled independently; a quiet folder goes out at once', () => {
  const timers = manualTimers();
  const out: FolderUpdate[] = [];
  const u = createFolderUpdates((x) => out.push(x), { timers });
  u.record(P('/a'), 'added');
  timers.advance(10);
  u.record(P('/a'), 'added');
  u.record(P('/b'), 'touched');
  timers.advance(0);
  expect(out.map((x) => x.path)).toEqual(['/a', '/b']);
  expect(out[1]).toEqual({ path: '/b', added: 0, removed: 0, changed: 0 });
  timers.advance(490);
  expect(out.map((x) => x.path)).toEqual(['/a', '/b', '/a']);
});

test('flush emits pending updates now; close drops them', () => {
  const timers = manualTimers();
  const out: FolderUpdate[] = [];
  const u = createFolderUpdates((x) => out.push(x), { timers });
  u.record(P('/a'), 'added');
  u.flush();
  expect(out).toHaveLength(1);
  u.record(P('/a'), 'added');
  u.close();
  timers.advance(1000);
  expect(out).toHaveLength(1);
});
