/**
 * Entry point and the only module that touches `document`: builds the environment (fetch,
 * storage, Web Locks, BroadcastChannel, IndexedDB outbox), renders the app, and routes global
 * keys, history navigation and page hide to the model.
 */
import { render } from 'preact';
import './app.css';
import './metrics.css';
import { newKey } from './api.ts';
import { App } from './components/App.tsx';
import { AppContext } from './components/context.ts';
import { type ChannelLike, openFeed } from './feed.ts';
import { createAppModel } from './models/app-model.ts';
import { handleKey } from './models/keys.ts';
import { fromOriginalLink } from './models/original-link.ts';
import { deferredOutbox, openIndexedDbOutbox } from './outbox.ts';
import { openStream } from './stream.ts';

function boot() {
  // A link of the original Lenslet (`#/<folder>`, `#!/<image>`, its sort and filters) becomes
  // this client's URL before anything reads it.
  const link = fromOriginalLink(location.search, location.hash);
  if (link) history.replaceState(null, '', `${location.pathname}${link.search}`);
  const clientId = newKey();
  const locks = 'locks' in navigator ? navigator.locks : null;
  // Hold a lock named after this page load while it lives: other tabs adopt our unsent edits
  // only once it is released (tab closed or crashed).
  void locks?.request(`lenslet-tab:${clientId}`, () => new Promise<void>(() => {}));
  // Opening IndexedDB can take a few hundred ms (first visit): never before the first paint.
  // If it cannot open, edits are kept in memory and the user is told (the handler runs after
  // `app` exists: a promise's handlers never run synchronously).
  const outbox = deferredOutbox(openIndexedDbOutbox(indexedDB), (error) =>
    app.errors.report('Opening the edit store of this browser (edits are kept in memory)', error),
  );
  const channel: ChannelLike | null =
    typeof BroadcastChannel === 'function'
      ? (new BroadcastChannel('lenslet-live') as unknown as ChannelLike)
      : null;
  const app = createAppModel({
    clientId,
    fetch: (...args) => fetch(...args),
    storage: localStorage,
    locks,
    outbox,
    openFeed: (headers) =>
      openFeed({ locks, channel, connect: openStream, fetch: (...a) => fetch(...a), headers }),
    search: location.search,
    setUrl(search, push) {
      const url = `${location.pathname}${search}`;
      if (url === `${location.pathname}${location.search}`) return;
      if (push) history.pushState(null, '', url);
      else history.replaceState(null, '', url);
    },
    download(name, blob) {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    },
    async copy(text) {
      // The Clipboard API needs a secure context; plain http on a LAN address falls back.
      if (navigator.clipboard && isSecureContext) return navigator.clipboard.writeText(text);
      const area = document.createElement('textarea');
      area.value = text;
      area.style.cssText = 'position:fixed;opacity:0';
      document.body.append(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      if (!ok) throw new Error('the browser refused to copy');
    },
  });
  (globalThis as { lenslet?: unknown }).lenslet = app;

  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    const typing =
      !!t &&
      (t.tagName === 'INPUT' ||
        t.tagName === 'TEXTAREA' ||
        t.tagName === 'SELECT' ||
        t.isContentEditable);
    if (app.identity.prompting.value || app.server.unauthorized.value) return;
    const handled = handleKey(app, {
      key: e.key,
      ctrl: e.ctrlKey || e.metaKey,
      shift: e.shiftKey,
      alt: e.altKey,
      typing,
    });
    if (handled) {
      e.preventDefault();
      if (e.key === 'Escape' && typing) t?.blur();
    } else if (e.key === 'Escape' && typing) t?.blur();
  });
  addEventListener('popstate', () => app.fromUrl(location.search));
  addEventListener('pagehide', () => app.hide());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') app.drafts.flushAll();
  });
  addEventListener('online', () => {
    app.stream.reconnectNow();
    app.writer.retryNow();
  });

  render(
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>,
    document.getElementById('app')!,
  );
  if (link?.viewer) app.ui.setOpen('viewer', true);
  void app.start();
}

boot();
