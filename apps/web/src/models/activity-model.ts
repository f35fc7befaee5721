/**
 * Other people's changes, made visible: which cards flash, the banner `ana changed 4 items here
 * · Show`, and a count of changes outside the current view. Own echoes never count.
 */
import type { CanonicalPath } from '@lenslet/core';
import { computed, type ReadonlySignal, signal } from '@preact/signals';

export type Activity = ReturnType<typeof createActivity>;

export function createActivity() {
  /** actor → paths they changed in the current view since it was opened. */
  const here = signal<ReadonlyMap<string, ReadonlySet<CanonicalPath>>>(new Map());
  const outside = signal(0);

  const banner = computed(() => {
    const entries = [...here.value.entries()].filter(([, paths]) => paths.size > 0);
    if (entries.length === 0) return null;
    const paths = new Set<CanonicalPath>();
    for (const [, ps] of entries) for (const p of ps) paths.add(p);
    const names = entries.map(([actor]) => actor);
    const who =
      names.length <= 2 ? names.join(' and ') : `${names[0]} and ${names.length - 1} others`;
    const n = paths.size;
    return { text: `${who} changed ${n} item${n === 1 ? '' : 's'} here`, paths: [...paths] };
  });

  return {
    banner,
    outside: outside as ReadonlySignal<number>,
    /** A change by someone else: in the view (banner) or outside it (count). */
    record(path: CanonicalPath, actor: string, inView: boolean): void {
      if (!inView) {
        outside.value += 1;
        return;
      }
      const next = new Map(here.peek());
      const set = new Set(next.get(actor) ?? []);
      set.add(path);
      next.set(actor, set);
      here.value = next;
    },
    clear(): void {
      here.value = new Map();
      outside.value = 0;
    },
  };
}
