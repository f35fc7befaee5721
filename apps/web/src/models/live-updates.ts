/**
 * What the models do when the server speaks: each live event (`StreamHandlers`), and the polling
 * round that replaces the stream while it is down. No signals of its own.
 * - `hello`: remember the log; another log than before means everything is refetched. Presence
 *   and pending writes start over (the server may have restarted).
 * - an item update: applied by version (items-model), remembered for undo; someone else's change
 *   flashes its card and fills the activity banner; the history panel reloads if it shows it;
 *   changed label metrics in the view refresh the metrics panel's counts.
 * - a table reloaded under the view: the view from its first page, its fields and facets, the
 *   inspector; a reload that failed only shows why (the server keeps the last good version).
 */
import { type CanonicalPath, isWithin } from '@lenslet/core';
import type { Api } from '../api.ts';
import type { Activity } from './activity-model.ts';
import type { Report } from './errors-model.ts';
import type { HistoryModel } from './history-model.ts';
import type { InspectModel } from './inspect-model.ts';
import type { ItemStore } from './items-model.ts';
import type { Listing } from './listing-model.ts';
import type { MetricsModel } from './metrics-model.ts';
import type { Navigation } from './navigation.ts';
import type { Presence } from './presence-model.ts';
import type { SavedViews } from './saved-views-model.ts';
import type { Selection } from './selection-model.ts';
import type { ServerModel } from './server-model.ts';
import type { StreamHandlers } from './stream-model.ts';
import type { Tree } from './tree-model.ts';
import type { Undo } from './undo-model.ts';
import type { UrlModel } from './url-model.ts';
import type { Writer } from './writer-model.ts';

export type LiveDeps = {
  readonly api: Pick<Api, 'item'>;
  readonly server: ServerModel;
  readonly items: ItemStore;
  readonly listing: Listing;
  readonly selection: Selection;
  readonly url: UrlModel;
  readonly writer: Writer;
  readonly undo: Undo;
  readonly activity: Activity;
  readonly presence: Presence;
  readonly tree: Tree;
  readonly savedViews: SavedViews;
  readonly history: HistoryModel;
  readonly metrics: MetricsModel;
  readonly inspect: InspectModel;
  readonly navigation: Navigation;
  readonly report: Report;
};

const refreshListing = (d: LiveDeps) =>
  d.listing.refresh().catch((e: unknown) => d.report('Refreshing this folder', e, 'background'));

/** The handler of each live event. */
export function createLiveHandlers(d: LiveDeps): StreamHandlers {
  return {
    hello(hello) {
      if (d.server.hello(hello.log_id)) void d.navigation.refetchAll();
      void d.presence.heartbeat();
      d.writer.retryNow();
    },
    item(update) {
      d.undo.remember(update);
      const outcome = d.items.applyUpdate(update);
      const path = update.path as CanonicalPath;
      if (!d.writer.sentKeys.has(update.mutation_id)) {
        const inView = outcome !== 'not_loaded' && d.listing.indexOf(path) >= 0;
        if (outcome === 'applied') d.items.flash(path);
        if (inView || isWithin(d.url.view.peek().folder, path)) {
          d.activity.record(path, update.updated_by, inView);
        }
      }
      if (path === d.selection.focus.peek()) d.history.reload();
      const scores = update.changes.flatMap((c) =>
        c.kind === 'metrics_set' ? Object.keys(c.metrics) : [],
      );
      if (scores.length > 0 && isWithin(d.url.view.peek().folder, path)) {
        d.metrics.metricsChanged(scores);
      }
    },
    presence: (counts) => d.presence.apply(counts),
    persistence: (event) =>
      d.server.setPersistence({ state: event.labels_state, error: event.error }),
    folder(change) {
      d.tree.refresh();
      if (isWithin(d.url.view.peek().folder, change.path as CanonicalPath)) void refreshListing(d);
    },
    resync: () => void d.navigation.refetchAll(),
    views: () => void d.savedViews.load(),
    table(update) {
      d.server.tableUpdated(update);
      const folder = d.url.view.peek().folder;
      const prefix = update.prefix as CanonicalPath;
      if (update.state !== 'ready' || !(isWithin(prefix, folder) || isWithin(folder, prefix)))
        return;
      void d.navigation.reload();
      d.metrics.refresh();
      d.inspect.reload();
    },
    unauthorized: () => d.server.needsToken(),
  };
}

/** One polling round while the stream is down: the pages in view, the focused item, the tree. */
export async function pollOnce(d: LiveDeps): Promise<void> {
  await refreshListing(d);
  const path = d.selection.focus.peek();
  if (path) {
    await d.api.item(path).then(d.items.putSidecar, (e: unknown) => {
      d.report('Refreshing the focused item', e, 'background');
    });
  }
  d.tree.refresh();
}
