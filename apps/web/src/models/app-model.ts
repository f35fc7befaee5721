/**
 * The app model, the composition root of the browser: creates every model from the environment
 * (app-env.ts), wires the live stream into them, and offers the actions the UI calls. Components
 * read the models' signals and call actions; they never fetch. `main.tsx` is the only caller and
 * the only place that touches `document`. `dispose()` stops every effect, timer and subscription
 * the models own.
 */
import { parentPath } from '@lenslet/core';
import { computed } from '@preact/signals';
import { createApi, newKey } from '../api.ts';
import { createActivity } from './activity-model.ts';
import type { AppEnv } from './app-env.ts';
import { createDrafts } from './drafts-model.ts';
import { createErrorsModel } from './errors-model.ts';
import { createHistoryModel } from './history-model.ts';
import { createIdentity } from './identity-model.ts';
import { createInspectModel } from './inspect-model.ts';
import { createItemStore } from './items-model.ts';
import { createLabeling } from './labeling.ts';
import { createListing } from './listing-model.ts';
import { createLiveHandlers, type LiveDeps, pollOnce } from './live-updates.ts';
import { createMetricsModel } from './metrics-model.ts';
import { createNavigation } from './navigation.ts';
import { originalViewOf } from './original-view.ts';
import { createPreferencesModel } from './preferences-model.ts';
import { createPresence } from './presence-model.ts';
import { createSavedViews } from './saved-views-model.ts';
import { createSelection } from './selection-model.ts';
import { createServerModel } from './server-model.ts';
import { createStreamModel } from './stream-model.ts';
import { createTagsModel } from './tags-model.ts';
import { createTree } from './tree-model.ts';
import { createUiModel } from './ui-model.ts';
import { createUndo } from './undo-model.ts';
import { createUrlModel } from './url-model.ts';
import { fromSearch, toQueryBody, toSearch } from './view-state.ts';
import { createWriter } from './writer-model.ts';

export type { AppEnv } from './app-env.ts';

export type AppModel = ReturnType<typeof createAppModel>;

export function createAppModel(env: AppEnv) {
  const clientId = env.clientId ?? newKey();
  const errors = createErrorsModel(env.log);
  const { report } = errors;
  const server = createServerModel();
  const identity = createIdentity(env.storage);
  const api = createApi({
    fetch: env.fetch,
    user: () => identity.user.peek(),
    clientId,
    onUnauthorized: server.needsToken,
  });
  const preferences = createPreferencesModel(env.storage, report);
  const ui = createUiModel({ showInspector: () => preferences.showInspector() });
  const items = createItemStore();
  const listing = createListing({ api, items, report });
  const selection = createSelection(listing);
  const url = createUrlModel({ search: env.search, setUrl: env.setUrl, focus: selection.focus });
  const activity = createActivity();
  const tree = createTree(api, report);
  const savedViews = createSavedViews(api, report);
  const presence = createPresence({ api, clientId, report });
  const tags = createTagsModel(api, report);
  const history = createHistoryModel({ api, focus: selection.focus, report });
  const metrics = createMetricsModel({ api, view: url.view, shown: preferences.metrics, report });
  const inspect = createInspectModel({
    api,
    focus: selection.focus,
    mimeOf: (path) => items.get(path)?.meta.peek()?.mime,
    report,
  });
  const writer = createWriter({
    api,
    store: env.outbox,
    items,
    clientId,
    logId: () => server.logId.value,
    newKey,
    async ownerAlive(owner) {
      if (!env.locks?.query) return false;
      const state = await env.locks.query();
      return (state.held ?? []).some((l) => l.name === `lenslet-tab:${owner}`);
    },
    onUnauthorized: server.needsToken,
    report,
  });
  const undo = createUndo({
    settled: writer.settled,
    api,
    edit: (path, patch, base) => void writer.edit([path], patch, base),
    report,
  });
  const labeling = createLabeling({
    items,
    writer,
    undo,
    selection,
    readOnly: server.readOnly,
    say: ui.say,
  });
  const drafts = createDrafts({
    current: (path) => labeling.shown(path)?.notes ?? null,
    save: (path, notes) => void labeling.edit([path], { set_notes: notes }),
  });
  const feed = env.openFeed(() => ({ 'X-Lenslet-Client-Id': clientId }));
  const navigation = createNavigation({
    url,
    listing,
    selection,
    items,
    drafts,
    activity,
    tree,
    presence,
    tags,
    history,
    resetCursor: (seq) => feed.resetCursor(seq),
    report,
  });
  const live: LiveDeps = {
    api,
    server,
    items,
    listing,
    selection,
    url,
    writer,
    undo,
    activity,
    presence,
    tree,
    savedViews,
    history,
    metrics,
    inspect,
    navigation,
    report,
  };
  const stream = createStreamModel({
    feed,
    on: createLiveHandlers(live),
    report,
    poll: () => pollOnce(live),
  });
  const { navigate } = navigation;

  return {
    clientId,
    errors,
    server,
    identity,
    preferences,
    ui,
    items,
    listing,
    selection,
    url,
    /** The view on screen (folder, filters, sort, search). */
    view: url.view,
    activity,
    tree,
    savedViews,
    presence,
    tags,
    history,
    metrics,
    inspect,
    writer,
    undo,
    drafts,
    stream,
    /** Labels as shown: the server's with this tab's pending edits on top. */
    shown: labeling.shown,
    /** Presence count of the open folder. */
    here: computed(() => presence.counts.value.get(url.view.value.folder) ?? null),

    async start(): Promise<void> {
      if (navigation.started) return;
      // The first page first: everything else loads beside it, nothing before it.
      const loading = navigation.loadFirst();
      const health = api.health().catch((e: unknown) => {
        report('Asking the server for its state', e, 'background');
        return null;
      });
      writer.init().catch((e: unknown) => report('Reading the edits kept in this browser', e));
      tree.reveal(url.view.peek().folder);
      const seq = await loading;
      stream.start(seq);
      const h = await health;
      if (h) server.applyHealth(h);
      void presence.enter(url.view.peek().folder);
      presence.start();
      void savedViews.load();
      tags.refresh(url.view.peek().folder);
      writer.start();
    },

    /** Stop every effect, timer and subscription of every model. */
    dispose(): void {
      stream.dispose();
      writer.dispose();
      history.dispose();
      metrics.dispose();
      inspect.dispose();
      drafts.dispose();
      presence.dispose();
      url.dispose();
      ui.dispose();
      preferences.dispose();
    },

    navigate,
    /** popstate: the URL changed under us. */
    fromUrl: (search: string) => navigate(fromSearch(search)),
    openFolder: navigation.openFolder,
    parentFolder(): void {
      const folder = url.view.peek().folder;
      if (folder !== '/') navigate({ folder: parentPath(folder) });
    },

    rate: labeling.rate,
    addTag: labeling.addTag,
    removeTag: labeling.removeTag,
    undoLast: labeling.undoLast,
    async selectAll(): Promise<void> {
      try {
        selection.selectAll(await listing.all());
      } catch (e) {
        report('Selecting every item of this view', e);
      }
    },
    async exportScope(format: 'csv' | 'json'): Promise<void> {
      try {
        const blob = await api.exportBlob(format, toQueryBody(url.view.peek()));
        env.download(`lenslet-labels.${format}`, blob);
      } catch (e) {
        report('Export', e);
      }
    },
    /** Copy `text` (a prompt, a seed) to the clipboard; `what` names it in the toast. */
    async copy(text: string, what: string): Promise<void> {
      try {
        if (!env.copy) throw new Error('no clipboard in this browser');
        await env.copy(text);
        ui.say(`Copied ${what}`);
      } catch (e) {
        report(`Copying the ${what}`, e);
      }
    },
    /** Another gallery's unsent edits, as a JSON file the user can keep. */
    downloadForeign(): void {
      const json = JSON.stringify({ unsent_edits: writer.foreign.peek() }, null, 1);
      env.download('lenslet-unsent-edits.json', new Blob([json], { type: 'application/json' }));
    },
    saveView: (name: string) => {
      const view = url.view.peek();
      return savedViews.save(name, view.folder, toSearch({ ...view }), originalViewOf(view));
    },
    requestFocus: ui.requestFocus,
    /** Page hide: save drafts, leave presence. */
    hide(): void {
      drafts.flushAll();
      presence.leave();
    },
  };
}
