/**
 * The view (folder, filters, sort, search) and the focused item live in the URL, so a link
 * reproduces them. The view is a signal; an effect writes `?…` back 50 ms after a change (off the
 * critical path: replaceState is not free) — pushState for a navigation, replaceState for a
 * focus change. `dispose()` stops the effect and its timer. Encoding: view-state.ts (pure).
 */
import { type CanonicalPath, toCanonicalPath } from '@lenslet/core';
import { effect, type ReadonlySignal, signal } from '@preact/signals';
import { fromSearch, toSearch, type ViewState } from './view-state.ts';

export const URL_WRITE_DELAY_MS = 50;

export type UrlModel = ReturnType<typeof createUrlModel>;

export function createUrlModel(deps: {
  /** `location.search` at start. */
  readonly search: string;
  readonly setUrl: (search: string, push: boolean) => void;
  readonly focus: ReadonlySignal<CanonicalPath | null>;
}) {
  const view = signal<ViewState>(fromSearch(deps.search));
  let pushNext = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stop = effect(() => {
    const search = toSearch(view.value, deps.focus.value);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      deps.setUrl(search, pushNext);
      pushNext = false;
    }, URL_WRITE_DELAY_MS);
  });

  return {
    view: view as ReadonlySignal<ViewState>,
    /** The item the URL asked for when the page opened (`&item=`). */
    initialItem: toCanonicalPath(new URLSearchParams(deps.search).get('item') ?? ''),
    /** Show another view; the URL gets a new history entry. */
    go(next: ViewState): void {
      pushNext = true;
      view.value = next;
    },
    dispose(): void {
      stop();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
