/**
 * Saved views (smart folders) through GET/PUT /views. The server keeps them opaque; each holds a
 * folder (`pool`) and our view state (`view.search`: the URL query of the view; beside it the same
 * view in the original's words, `filters` and `sort`, which its client reads). Writes send If-Match;
 * a stale one (someone else saved meanwhile) refetches and retries once. Failures go to the
 * error reporter. Signals only: no effects or timers.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import { type Api, newKey, type SavedView, statusOf, type ViewsDoc } from '../api.ts';
import type { Report } from './errors-model.ts';

export type SavedViews = ReturnType<typeof createSavedViews>;

export function createSavedViews(api: Pick<Api, 'views' | 'putViews'>, report: Report) {
  const views = signal<readonly SavedView[]>([]);
  let doc: ViewsDoc = { version: 1, views: [] };
  let etag: string | null = null;

  const load = async () => {
    try {
      const answer = await api.views();
      doc = answer.doc;
      etag = answer.etag;
      views.value = doc.views;
    } catch (e) {
      report('Loading the saved views', e, 'background');
    }
  };

  const change = async (fn: (list: SavedView[]) => SavedView[]) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const next = { ...doc, views: fn([...doc.views]) };
      try {
        etag = await api.putViews(next, etag);
        doc = next;
        views.value = doc.views;
        return;
      } catch (e) {
        const status = statusOf(e);
        if ((status === 412 || status === 409) && attempt === 0) {
          await load();
          continue;
        }
        report('Saving the views', e);
        return;
      }
    }
  };

  return {
    views: views as ReadonlySignal<readonly SavedView[]>,
    load,
    /** `original`: the same view in the original's words, for its client (original-view.ts). */
    save: (name: string, folder: string, search: string, original: object = {}) =>
      change((list) => [
        ...list.filter((v) => v.name !== name),
        {
          id: newKey(),
          name,
          pool: { kind: 'folder', path: folder },
          view: { ...original, search },
        },
      ]),
    remove: (id: string) => change((list) => list.filter((v) => v.id !== id)),
  };
}
