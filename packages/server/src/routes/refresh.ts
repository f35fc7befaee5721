/**
 * `POST /refresh?path=`: rescan the served folders now, as the original Lenslet's refresh button
 * asks; answers `{ok: true}` once the rescan has been applied (its changes also go out as
 * `folder-updated` frames). The watcher usually has the changes already; this is for folders it
 * cannot watch, and for a person who wants to be sure. `?path=` must name a folder (the whole
 * index is rescanned: a rescan diffs against the index, so a narrower one saves little).
 * Served tables are checked too: one whose file changed is reloaded before the answer (they are
 * polled anyway); a table-only server answers with a `note` saying so (the original answered
 * "table mode is static": it never reloaded).
 */
import { LensletError, ROOT_PATH } from '@lenslet/core';
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';
import { queryPath } from '../http.ts';
import { allowQuery } from '../query-params.ts';

/** Said by `/refresh` and `/health` where there is no folder to rescan, only tables. */
export const TABLES_NOTE =
  'tables are reloaded in place when their file changes (each was checked now)';

/** Whether `POST /refresh` rescans on this server (`/health`'s `refresh.enabled`). */
export function canRefresh(ctx: RouteContext): boolean {
  const { gallery } = ctx.deps;
  return gallery.rescan !== undefined && gallery.status().watch.mode !== 'off';
}

export function registerRefresh(app: Express, ctx: RouteContext): void {
  app.post('/refresh', async (req, res) => {
    allowQuery(req, ['path']);
    const path = queryPath(req, 'path', ROOT_PATH);
    if (ctx.deps.gallery.folder(path) === undefined) {
      throw new LensletError('not_found', `no folder ${path}`);
    }
    const tables = ctx.catalog.tables();
    await Promise.all(tables.map(({ source }) => source.check()));
    if (!canRefresh(ctx)) {
      const note =
        tables.length > 0 ? TABLES_NOTE : 'this server does not watch its folders (--watch off)';
      res.json({ ok: true, note });
      return;
    }
    await ctx.deps.gallery.rescan?.();
    res.json({ ok: true });
  });
}
