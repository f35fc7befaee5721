/**
 * Changing what is shown: a new view (folder, filters, sort, search) from the UI or the URL, and
 * reloading everything when the server's log changed. Orchestrates the models; no signals of its
 * own. A navigation saves open drafts, clears the activity banner and the focus, loads the first
 * page and, for a new folder, reveals it in the tree, moves presence and reloads the tag list.
 */
import type { CanonicalPath } from '@lenslet/core';
import { batch } from '@preact/signals';
import type { Activity } from './activity-model.ts';
import type { Drafts } from './drafts-model.ts';
import type { Report } from './errors-model.ts';
import type { HistoryModel } from './history-model.ts';
import type { ItemStore } from './items-model.ts';
import type { Listing } from './listing-model.ts';
import type { Presence } from './presence-model.ts';
import type { Selection } from './selection-model.ts';
import type { TagsModel } from './tags-model.ts';
import type { Tree } from './tree-model.ts';
import type { UrlModel } from './url-model.ts';
import { toQueryBody, type ViewState } from './view-state.ts';

export type Navigation = ReturnType<typeof createNavigation>;

export function createNavigation(deps: {
  readonly url: UrlModel;
  readonly listing: Listing;
  readonly selection: Selection;
  readonly items: ItemStore;
  readonly drafts: Drafts;
  readonly activity: Activity;
  readonly tree: Tree;
  readonly presence: Presence;
  readonly tags: TagsModel;
  readonly history: HistoryModel;
  /** Resume the live stream from this seq (after a full refetch). */
  readonly resetCursor: (seq: number) => void;
  readonly report: Report;
}) {
  const { url, listing, selection } = deps;
  let started = false;

  /** Load the view's first page and keep (or choose) the focus; resolves with its seq. */
  const loadView = async (): Promise<number | null> => {
    try {
      const seq = await listing.load(toQueryBody(url.view.peek()));
      const want = url.initialItem;
      const focus = selection.focus.peek();
      if (!focus || listing.indexOf(focus) < 0) {
        selection.focusPath(
          want && listing.indexOf(want) >= 0 && !started ? want : (listing.at(0) ?? null),
        );
      }
      return seq;
    } catch (error) {
      deps.report('Loading this folder', error, 'background');
      return null;
    }
  };

  const navigate = (next: Partial<ViewState>): void => {
    const before = url.view.peek();
    const merged = { ...before, ...next };
    if (JSON.stringify(merged) === JSON.stringify(before)) return;
    deps.drafts.flushAll();
    batch(() => {
      url.go(merged);
      deps.activity.clear();
      selection.focusPath(null);
    });
    void loadView();
    if (merged.folder !== before.folder) {
      deps.tree.reveal(merged.folder);
      void deps.presence.enter(merged.folder);
      deps.tags.refresh(merged.folder);
    }
  };

  return {
    get started() {
      return started;
    },
    /** The page's first load: the URL's item is focused if the first page holds it. */
    async loadFirst(): Promise<number | null> {
      const seq = await loadView();
      started = true;
      return seq;
    },
    /** Everything again from the server (another log, or the stream could not resume). */
    async refetchAll(): Promise<void> {
      deps.items.reset();
      const seq = await loadView();
      if (seq !== null) deps.resetCursor(seq);
      deps.tree.refresh();
      deps.history.reload();
    },
    /** The same view again, from its first page (the table behind it was reloaded). */
    async reload(): Promise<void> {
      await loadView();
      deps.tree.refresh();
    },
    navigate,
    openFolder: (folder: CanonicalPath) => navigate({ folder }),
  };
}
