/**
 * The app model: creates every model from the environment (fetch, storage, locks, channel,
 * outbox) and wires the live feed into them. Components read its signals and call its actions;
 * they never fetch. `main.tsx` is the only caller and the only place that touches `document`.
 */
import {
  type CanonicalPath,
  type ItemUpdate,
  isWithin,
  type LabelRecord,
  type Patch,
  parentPath,
  toCanonicalPath,
} from '@lenslet/core';
import { batch, computed, effect, signal } from '@preact/signals';
import { createApi, newKey } from '../api.ts';
import type { ChannelLike, LabelFeed, LockManagerLike } from '../feed.ts';
import type { OutboxStore } from '../outbox.ts';
import type { FeedEvent } from '../stream.ts';
import { createActivity } from './activity-model.ts';
import { toRecord, withPending } from './apply-update.ts';
import { createConnection } from './connection-model.ts';
import { createDrafts } from './drafts-model.ts';
import { createIdentity } from './identity-model.ts';
import { createItemStore } from './items-model.ts';
import { createListing } from './listing-model.ts';
import { createPresence } from './presence-model.ts';
import { createSavedViews } from './saved-views-model.ts';
import { createSelection } from './selection-model.ts';
import { createTree } from './tree-model.ts';
import { createUndo } from './undo-model.ts';
import { fromSearch, toQueryBody, toSearch, type ViewState } from './view-state.ts';
import { createWriter } from './writer-model.ts';

export type AppEnv = {
  readonly fetch: typeof fetch;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  readonly locks:
    | (LockManagerLike & { query?: () => Promise<{ held?: { name?: string }[] }> })
    | null;
  readonly outbox: OutboxStore;
  /** The live feed (already subscribed to the relay channel). */
  readonly openFeed: (headers: () => Record<string, string>) => LabelFeed;
  readonly search: string;
  readonly setUrl: (search: string, push: boolean) => void;
  readonly download: (name: string, blob: Blob) => void;
  readonly clientId?: string;
  readonly channel?: ChannelLike | null;
};

export type Persistence = { state: string; error: string | null };

export type FocusTarget = 'tags' | 'notes' | 'search';

const RECORD_CACHE_SIZE = 2_000;

export type AppModel = ReturnType<typeof createAppModel>;

export function createAppModel(env: AppEnv) {
  const clientId = env.clientId ?? newKey();
  const identity = createIdentity(env.storage);
  const unauthorized = signal(false);
  const api = createApi({
    fetch: env.fetch,
    user: () => identity.user.peek(),
    clientId,
    onUnauthorized: () => {
      unauthorized.value = true;
    },
  });
  const logId = signal<string | null>(null);
  const items = createItemStore();
  const listing = createListing({ api, items });
  const selection = createSelection(listing);
  const activity = createActivity();
  const tree = createTree(api);
  const savedViews = createSavedViews(api);
  const presence = createPresence({ api, clientId });
  const view = signal<ViewState>(fromSearch(env.search));
  const persistence = signal<Persistence>({ state: 'saved', error: null });
  const readOnly = signal(false);
  const toast = signal<{ text: string; at: number } | null>(null);
  const tagSuggestions = signal<readonly { tag: string; count: number }[]>([]);
  const history = signal<{ path: CanonicalPath | null; entries: readonly LabelRecord[] }>({
    path: null,
    entries: [],
  });
  const records = new Map<number, ItemUpdate>();
  const ui = {
    viewer: signal(false),
    inspector: signal(env.storage.getItem('lenslet.inspector') !== '0'),
    shortcuts: signal(false),
    filters: signal(false),
    layout: signal<'grid' | 'rows'>(
      env.storage.getItem('lenslet.layout') === 'rows' ? 'rows' : 'grid',
    ),
    size: signal(Number(env.storage.getItem('lenslet.size')) || 180),
    /** Bumped by F in the viewer: toggle fit / 100%. */
    fitToggle: signal(0),
    /** Grid columns (reported by the grid, used by up/down keys). */
    columns: signal(1),
    /** A focus request for an input that is not mounted yet (consumed when it mounts). */
    focusTarget: signal<{ target: FocusTarget } | null>(null),
    /** Mounted inputs register how to focus them, so a key focuses them synchronously. */
    focusers: new Map<FocusTarget, () => void>(),
  };

  const say = (text: string) => {
    toast.value = { text, at: Date.now() };
  };

  const ownerAlive = async (owner: string) => {
    if (!env.locks?.query) return false;
    const state = await env.locks.query();
    return (state.held ?? []).some((l) => l.name === `lenslet-tab:${owner}`);
  };
  const writer = createWriter({
    api,
    store: env.outbox,
    items,
    clientId,
    logId: () => logId.value,
    newKey,
    ownerAlive,
    onUnauthorized: () => {
      unauthorized.value = true;
    },
  });

  /** Labels as shown: server labels with this tab's pending edits on top. */
  const shown = (path: CanonicalPath) => {
    const entry = items.get(path);
    if (!entry) return null;
    const pending = writer.byPath.value.get(path)?.filter((e) => e.state === 'pending') ?? [];
    return pending.length > 0
      ? withPending(
          entry.labels.value,
          pending.map((e) => e.patch),
        )
      : entry.labels.value;
  };

  const edit = (paths: readonly CanonicalPath[], patch: Patch): string[] => {
    if (readOnly.peek()) {
      say('This gallery is read-only: labels cannot be changed.');
      return [];
    }
    if (paths.length === 0) return [];
    const ids = writer.edit(paths, patch);
    undo.push(ids);
    return ids;
  };

  const undo = createUndo({
    settled: writer.settled,
    async record(path, seq) {
      const cached = records.get(seq);
      if (cached) return toRecord(cached);
      const list = await api.history(path, 100).catch(() => []);
      const found = list.find((r) => r.seq === seq);
      return found ? ({ ...found, v: 1, path, fp: '' } as unknown as LabelRecord) : null;
    },
    edit: (path, patch, base) => {
      writer.edit([path], patch, base);
    },
  });

  const drafts = createDrafts({
    current: (path) => shown(path)?.notes ?? null,
    save: (path, notes) => {
      edit([path], { set_notes: notes });
    },
  });

  const feed = env.openFeed(() => ({ 'X-Lenslet-Client-Id': clientId }));

  // Loading -----------------------------------------------------------------------------------

  let started = false;
  const loadView = async (): Promise<number | null> => {
    try {
      const seq = await listing.load(toQueryBody(view.peek()));
      const want = toCanonicalPath(new URLSearchParams(env.search).get('item') ?? '');
      const focus = selection.focus.peek();
      if (!focus || listing.indexOf(focus) < 0) {
        selection.focusPath(
          want && listing.indexOf(want) >= 0 && !started ? want : (listing.at(0) ?? null),
        );
      }
      return seq;
    } catch {
      return null;
    }
  };

  const refreshTags = () => {
    void api
      .tags(view.peek().folder)
      .then((tags) => {
        tagSuggestions.value = tags;
      })
      .catch(() => {});
  };

  /** Everything again from the server (another log, or the stream could not resume). */
  const refetchAll = async () => {
    items.reset();
    const seq = await loadView();
    if (seq !== null) feed.resetCursor(seq);
    tree.refresh();
    loadHistory();
  };

  let historyTimer: ReturnType<typeof setTimeout> | null = null;
  const loadHistory = () => {
    if (historyTimer) clearTimeout(historyTimer);
    historyTimer = setTimeout(async () => {
      const path = selection.focus.peek();
      if (!path) return;
      const list = await api.history(path, 50).catch(() => null);
      if (list && selection.focus.peek() === path) {
        history.value = { path, entries: list as unknown as LabelRecord[] };
      }
    }, 200);
  };

  // The live feed -------------------------------------------------------------------------------

  const onEvent = (event: FeedEvent) => {
    switch (event.kind) {
      case 'hello': {
        const known = logId.peek();
        logId.value = event.data.log_id;
        if (known !== null && known !== event.data.log_id) void refetchAll();
        // The server may have restarted: presence leases and pending writes start over now.
        void presence.heartbeat();
        writer.retryNow();
        break;
      }
      case 'item': {
        const update = event.data;
        records.set(update.seq, update);
        if (records.size > RECORD_CACHE_SIZE) records.delete(records.keys().next().value!);
        const outcome = items.applyUpdate(update);
        const path = update.path as CanonicalPath;
        if (!writer.sentKeys.has(update.mutation_id)) {
          const inView = outcome !== 'not_loaded' && listing.indexOf(path) >= 0;
          if (outcome === 'applied') items.get(path)!.flash.value = Date.now();
          if (inView || isWithin(view.peek().folder, path)) {
            activity.record(path, update.updated_by, inView);
          }
        }
        if (path === selection.focus.peek()) loadHistory();
        break;
      }
      case 'presence':
        presence.apply(event.data);
        break;
      case 'persistence':
        persistence.value = { state: event.data.state, error: event.data.error };
        break;
      case 'folder':
        tree.refresh();
        if (isWithin(view.peek().folder, event.data.path as CanonicalPath)) void listing.refresh();
        break;
      case 'resync':
        void refetchAll();
        break;
      case 'views':
        void savedViews.load();
        break;
    }
  };

  const connection = createConnection({
    poll: async () => {
      await listing.refresh().catch(() => {});
      const path = selection.focus.peek();
      if (path) await api.item(path).then(items.putSidecar, () => {});
      tree.refresh();
    },
  });
  feed.onEvent(onEvent);
  feed.onStatus((s) => {
    connection.update(s);
    if (s.state === 'unauthorized') unauthorized.value = true;
  });

  // URL <-> view --------------------------------------------------------------------------------

  // The URL follows the view; written off the critical path (replaceState is not free).
  let pushNext = false;
  let urlTimer: ReturnType<typeof setTimeout> | null = null;
  effect(() => {
    const search = toSearch(view.value, selection.focus.value);
    if (urlTimer) clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      env.setUrl(search, pushNext);
      pushNext = false;
    }, 50);
  });
  effect(() => {
    if (selection.focus.value) loadHistory();
  });
  effect(() => {
    env.storage.setItem('lenslet.layout', ui.layout.value);
    env.storage.setItem('lenslet.size', String(ui.size.value));
    env.storage.setItem('lenslet.inspector', ui.inspector.value ? '1' : '0');
  });

  const navigate = (next: Partial<ViewState>) => {
    const before = view.peek();
    const merged = { ...before, ...next };
    if (JSON.stringify(merged) === JSON.stringify(before)) return;
    drafts.flushAll();
    batch(() => {
      pushNext = true;
      view.value = merged;
      activity.clear();
      selection.focusPath(null);
    });
    void loadView();
    if (merged.folder !== before.folder) {
      tree.reveal(merged.folder);
      void presence.enter(merged.folder);
      refreshTags();
    }
  };

  const focusedOrTargets = () => selection.targets();

  return {
    api,
    clientId,
    identity,
    items,
    listing,
    selection,
    writer,
    presence,
    connection,
    activity,
    tree,
    savedViews,
    drafts,
    undo,
    view,
    persistence,
    readOnly,
    unauthorized,
    toast,
    tagSuggestions,
    history,
    logId,
    ui,
    shown,
    say,
    feed,

    /** Presence count of the open folder. */
    here: computed(() => presence.counts.value.get(view.value.folder) ?? null),

    async start(): Promise<void> {
      if (started) return;
      // The first page first: everything else loads beside it, nothing before it.
      const loading = loadView();
      const health = api.health().catch(() => null);
      void writer.init().catch(() => {});
      tree.reveal(view.peek().folder);
      const seq = await loading;
      started = true;
      feed.start(seq);
      const h = await health;
      if (h) {
        readOnly.value = !h.can_write;
        persistence.value = { state: h.state, error: h.error };
      }
      void presence.enter(view.peek().folder);
      presence.start();
      void savedViews.load();
      refreshTags();
      setInterval(() => void writer.adopt(), 30_000);
    },

    navigate,
    /** popstate: the URL changed under us. */
    fromUrl(search: string): void {
      const next = fromSearch(search);
      navigate(next);
    },
    openFolder: (folder: CanonicalPath) => navigate({ folder }),
    parentFolder(): void {
      const folder = view.peek().folder;
      if (folder !== '/') navigate({ folder: parentPath(folder) });
    },

    rate(star: number | null): void {
      const targets = focusedOrTargets();
      if (targets.length === 0) return;
      edit(targets, { set_star: star });
    },
    addTag(tag: string, paths = focusedOrTargets()): void {
      const t = tag.trim();
      if (t) edit(paths, { add_tags: [t] });
    },
    removeTag(tag: string, paths = focusedOrTargets()): void {
      edit(paths, { remove_tags: [tag] });
    },
    async undoLast(): Promise<void> {
      if (undo.available.peek() === 0) {
        say('Nothing to undo');
        return;
      }
      const n = await undo.undo();
      say(n > 0 ? `Undid ${n} change${n === 1 ? '' : 's'}` : 'Nothing to undo');
    },
    async selectAll(): Promise<void> {
      const paths = await listing.all();
      selection.selectAll(paths);
    },
    async exportScope(format: 'csv' | 'json'): Promise<void> {
      try {
        const blob = await api.exportBlob(format, toQueryBody(view.peek()));
        env.download(`lenslet-labels.${format}`, blob);
      } catch (e) {
        say(`Export failed: ${(e as Error).message}`);
      }
    },
    /** Another gallery's unsent edits, as a JSON file the user can keep. */
    downloadForeign(): void {
      const json = JSON.stringify({ unsent_edits: writer.foreign.peek() }, null, 1);
      env.download('lenslet-unsent-edits.json', new Blob([json], { type: 'application/json' }));
    },
    saveView: (name: string) =>
      savedViews.save(name, view.peek().folder, toSearch({ ...view.peek() })),
    /** Focus an input now (the next key typed must land in it), or as soon as it mounts. */
    requestFocus(target: FocusTarget): void {
      const focus = ui.focusers.get(target);
      if (focus) {
        focus();
        return;
      }
      if (target !== 'search') ui.inspector.value = true;
      ui.focusTarget.value = { target };
    },
    /** Page hide: save drafts, leave presence. */
    hide(): void {
      drafts.flushAll();
      presence.leave();
    },
    refreshTags,
  };
}
