/**
 * The history panel: the focused item's recent changes from GET /item/history, loaded 200 ms
 * after the focus settles (arrow keys move fast) and again when a live update touches the item.
 * Owns an effect (on the focus) and the debounce timer; `dispose()` stops both.
 */
import type { CanonicalPath } from '@lenslet/core';
import { effect, type ReadonlySignal, signal } from '@preact/signals';
import type { Api } from '../api.ts';
import type { Report } from './errors-model.ts';
import type { HistoryRow } from './history.ts';

export const HISTORY_DELAY_MS = 200;
export const HISTORY_LIMIT = 50;

export type HistoryModel = ReturnType<typeof createHistoryModel>;

export function createHistoryModel(deps: {
  readonly api: Pick<Api, 'history'>;
  readonly focus: ReadonlySignal<CanonicalPath | null>;
  readonly report: Report;
}) {
  const shown = signal<{ path: CanonicalPath | null; rows: readonly HistoryRow[] }>({
    path: null,
    rows: [],
  });
  let timer: ReturnType<typeof setTimeout> | null = null;

  const fetchFocused = async () => {
    const path = deps.focus.peek();
    if (!path) return;
    try {
      const rows = await deps.api.history(path, HISTORY_LIMIT);
      if (deps.focus.peek() === path) shown.value = { path, rows };
    } catch (error) {
      deps.report('Loading the history', error, 'background');
    }
  };

  /** (Re)load the focused item's history after a short pause. */
  const reload = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void fetchFocused();
    }, HISTORY_DELAY_MS);
  };

  const stop = effect(() => {
    if (deps.focus.value) reload();
  });

  return {
    /** The loaded history of `path`, or null while it is not loaded. */
    of(path: CanonicalPath | null): readonly HistoryRow[] | null {
      const current = shown.value;
      return current.path === path ? current.rows : null;
    },
    reload,
    dispose(): void {
      stop();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
