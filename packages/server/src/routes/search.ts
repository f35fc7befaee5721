/**
 * `GET /search?q=&path=&offset=&limit=`: the `text_query` of `POST /folders/query` on its own,
 * run by the same engine query (query/lenslet-query.ts), so both find the same items: every term
 * of `q` in the path (which includes the name), a text column (captions, prompts) or the tags and
 * notes; case-insensitive, NFC; `"double quoted"` text is one term. Always recursive; in path
 * order (as the original Lenslet answers it, folders and tables alike).
 */
import { folderQuerySchema, LensletError, ROOT_PATH, type SearchAnswer } from '@lenslet/core';
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';
import { folderOrThrow } from '../folder-or-throw.ts';
import { queryInt, queryPath, queryString, sendWithSeq } from '../http.ts';
import { itemsOf } from '../query/item-rows.ts';
import { labelRows } from '../query/label-rows.ts';
import { lensletQuery } from '../query/lenslet-query.ts';
import { allowQuery } from '../query-params.ts';
import { searchTerms } from '../search.ts';

export const SEARCH_DEFAULT_LIMIT = 100;
export const SEARCH_MAX_LIMIT = 1000;
export const SEARCH_MAX_QUERY_CHARS = 1000;

export function registerSearch(app: Express, ctx: RouteContext): void {
  const { store, gallery } = ctx.deps;

  app.get('/search', (req, res) => {
    allowQuery(req, ['q', 'path', 'offset', 'limit']);
    const q = queryString(req, 'q') ?? '';
    if (q.length > SEARCH_MAX_QUERY_CHARS)
      throw new LensletError(
        'invalid_request',
        `query parameter "q" is longer than ${SEARCH_MAX_QUERY_CHARS} characters`,
      );
    if (searchTerms(q).length === 0)
      throw new LensletError(
        'invalid_request',
        'query parameter "q" is required (the text to search for)',
      );
    const path = queryPath(req, 'path', ROOT_PATH);
    const offset = queryInt(req, 'offset', { fallback: 0 });
    const limit = queryInt(req, 'limit', {
      min: 1,
      max: SEARCH_MAX_LIMIT,
      fallback: SEARCH_DEFAULT_LIMIT,
    });
    folderOrThrow(gallery, path);
    const seq = store.head();
    const view = ctx.catalog.view();
    const rows = labelRows(view, store.items(), seq);
    const query = folderQuerySchema.parse({ path, recursive: true, text_query: q, limit });
    const plan = lensletQuery({ ...query, offset }, view, rows);
    const result = view.engine.query({ ...plan.query, sort: { key: '@path' } }, plan.ctx);
    const items = itemsOf(view, gallery, rows, result, ctx.config, undefined);
    const total = result.filtered_total;
    sendWithSeq(res, seq, { path, q, seq, items, total, offset, limit } satisfies SearchAnswer);
  });
}
