/**
 * Focus and multi-select over the current listing. Focus is one item (the "current" item that
 * keys act on when nothing else is selected); the selection is a set of paths. Click selects one,
 * Shift extends a range from the anchor, Ctrl/Cmd toggles. Labeling acts on the selection when
 * it holds more than the focused item, else on the focused item.
 */
import type { CanonicalPath } from '@lenslet/core';
import { batch, computed, type ReadonlySignal, signal } from '@preact/signals';

export type Selection = ReturnType<typeof createSelection>;

export function createSelection(listing: {
  at(i: number): CanonicalPath | undefined;
  indexOf(path: CanonicalPath): number;
  readonly length: number;
}) {
  const focus = signal<CanonicalPath | null>(null);
  const selected = signal<ReadonlySet<CanonicalPath>>(new Set());
  let anchor = -1;

  const focusIndex = () => (focus.value ? listing.indexOf(focus.value) : -1);

  const setRange = (from: number, to: number) => {
    const set = new Set<CanonicalPath>();
    for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
      const p = listing.at(i);
      if (p) set.add(p);
    }
    selected.value = set;
  };

  return {
    focus: focus as ReadonlySignal<CanonicalPath | null>,
    selected: selected as ReadonlySignal<ReadonlySet<CanonicalPath>>,
    /** How many items a label key would change. */
    count: computed(() => (selected.value.size > 1 ? selected.value.size : focus.value ? 1 : 0)),

    focusIndex,

    /** Click on item i: plain selects it alone, shift extends from the anchor, toggle flips it. */
    click(i: number, mods: { shift?: boolean; toggle?: boolean } = {}): void {
      const path = listing.at(i);
      if (!path) return;
      batch(() => {
        if (mods.shift && anchor >= 0) {
          setRange(anchor, i);
        } else if (mods.toggle) {
          const set = new Set(selected.value);
          if (set.size === 0 && focus.value && focus.value !== path) set.add(focus.value);
          if (set.has(path)) set.delete(path);
          else set.add(path);
          selected.value = set;
          anchor = i;
        } else {
          selected.value = new Set([path]);
          anchor = i;
        }
        focus.value = path;
      });
    },

    /** Move focus by delta positions (arrows); shift extends the selection. */
    move(delta: number, shift = false): void {
      const n = listing.length;
      if (n === 0) return;
      const from = focusIndex();
      const to = from < 0 ? 0 : Math.max(0, Math.min(n - 1, from + delta));
      const path = listing.at(to);
      if (!path) return;
      batch(() => {
        if (shift) {
          if (anchor < 0) anchor = Math.max(0, from);
          setRange(anchor, to);
        } else {
          selected.value = new Set([path]);
          anchor = to;
        }
        focus.value = path;
      });
    },

    /** Focus a path (e.g. from the URL or the viewer) and select it alone. */
    focusPath(path: CanonicalPath | null): void {
      batch(() => {
        focus.value = path;
        selected.value = path ? new Set([path]) : new Set();
        anchor = path ? listing.indexOf(path) : -1;
      });
    },

    selectAll(paths: readonly CanonicalPath[]): void {
      selected.value = new Set(paths);
      anchor = 0;
    },

    select(paths: readonly CanonicalPath[]): void {
      batch(() => {
        selected.value = new Set(paths);
        focus.value = paths[0] ?? focus.value;
        anchor = paths[0] ? listing.indexOf(paths[0]) : anchor;
      });
    },

    clear(): void {
      selected.value = focus.value ? new Set([focus.value]) : new Set();
    },

    /** The items an action applies to: the selection (>1), else the focused item. */
    targets(): CanonicalPath[] {
      if (selected.value.size > 1) return [...selected.value];
      return focus.value ? [focus.value] : [];
    },
  };
}
