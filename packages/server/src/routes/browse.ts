/**
 * Browse routes: `GET /folders`, `GET /folders/paths`, `GET /tags`, `GET /item/detail`
 * (`GET /search` and the query routes run on the catalog's engine: search.ts, query.ts).
 * Answers that carry labels read the log head first and send it as `seq` and `Lenslet-Seq`, so a
 * client that resumes the live stream from it never misses a change made after the labels were
 * read.
 */
import {
  type CanonicalPath,
  EMPTY_LABELS,
  type FolderEntry,
  type FolderPathsAnswer,
  type FoldersAnswer,
  type ItemDetail,
  type ItemView,
  joinPath,
  LensletError,
  parentPath,
  ROOT_PATH,
  type TagsAnswer,
} from '@lenslet/core';
import type { GalleryIndex, ImageEntry } from '@lenslet/gallery';
import type { Express, Request } from 'express';
import type { RouteContext } from '../context.ts';
import { queryBool, queryInt, queryPath, queryString, sendWithSeq } from '../http.ts';
import { fileUrl, toItemView } from '../item-view.ts';
import { flatFields } from '../query/item-rows.ts';
import { labelRows } from '../query/label-rows.ts';
import { columnKeys, tableColumnsOf, withTableColumns } from '../query/table-columns.ts';
import { allowQuery } from '../query-params.ts';
import { ScopeCache } from '../scope.ts';

export const FOLDERS_MAX_LIMIT = 10_000;
/** A listing without `limit` answers the whole scope up to this many images (else 413). */
export const FOLDERS_WHOLE_SCOPE_MAX_ITEMS = 200_000;
export const TAGS_DEFAULT_LIMIT = 1000;

function folderOrThrow(gallery: GalleryIndex, path: CanonicalPath) {
  const folder = gallery.folder(path);
  if (folder === undefined) {
    const hint = gallery.get(path) ? ' (it is an image: use /item/detail)' : '';
    throw new LensletError('not_found', `no folder ${path}${hint}`);
  }
  return folder;
}

/**
 * `GET /folders`' page size: `limit` when given (1–10,000), else the whole scope from `offset`
 * (the original Lenslet's export asks for `recursive=1` without a limit and writes what it gets).
 */
function folderLimit(req: Request, rest: number, countOnly: boolean): number {
  if (queryString(req, 'limit') !== undefined) {
    return queryInt(req, 'limit', { min: 1, max: FOLDERS_MAX_LIMIT, fallback: FOLDERS_MAX_LIMIT });
  }
  if (!countOnly && rest > FOLDERS_WHOLE_SCOPE_MAX_ITEMS) {
    throw new LensletError(
      'payload_too_large',
      `${rest} images in this scope: more than ${FOLDERS_WHOLE_SCOPE_MAX_ITEMS} are listed only in pages (pass limit, up to ${FOLDERS_MAX_LIMIT}, and offset)`,
    );
  }
  return Math.max(rest, 0);
}

/** `?fields=`: `*` every field of a table row, `a,b` those, absent none (listings stay lean). */
function listedFields(raw: string | undefined): readonly string[] | 'all' | null {
  if (raw === undefined || raw === '') return null;
  if (raw === '*') return 'all';
  return raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

export function registerBrowse(app: Express, ctx: RouteContext): void {
  const { store, gallery } = ctx.deps;
  const settings = ctx.config;
  const labelsOf = (path: CanonicalPath) => store.items().get(path) ?? EMPTY_LABELS;
  const scopes = new ScopeCache(gallery);

  app.get('/folders', (req, res) => {
    allowQuery(req, ['path', 'recursive', 'count_only', 'offset', 'limit', 'fields']);
    const path = queryPath(req, 'path', ROOT_PATH);
    const recursive = queryBool(req, 'recursive', false);
    const countOnly = queryBool(req, 'count_only', false);
    const offset = queryInt(req, 'offset', { fallback: 0 });
    const folder = folderOrThrow(gallery, path);
    const total = recursive ? folder.count : folder.items.length;
    const limit = folderLimit(req, total - offset, countOnly);
    const seq = store.head();
    const view = ctx.catalog.view();
    const rows = labelRows(view, store.items(), seq);
    const fields = listedFields(queryString(req, 'fields'));
    const item = (entry: ImageEntry) =>
      withTableColumns(
        toItemView(entry, labelsOf(entry.path), settings),
        tableColumnsOf(view, rows, entry.path),
        fields,
      );
    const items: ItemView[] = [];
    if (!countOnly) {
      if (recursive) {
        for (const entry of scopes.get(path, true).entries.slice(offset, offset + limit)) {
          items.push(item(entry));
        }
      } else {
        for (const itemPath of folder.items.slice(offset, offset + limit)) {
          const entry = gallery.get(itemPath);
          if (entry) items.push(item(entry));
        }
      }
    }
    const folders = folder.folders.map((name): FolderEntry => {
      const sub = gallery.folder(joinPath(path, name));
      return {
        name,
        kind: sub !== undefined && sub.folders.length > 0 ? 'branch' : 'leaf',
        count: sub?.count ?? 0,
      };
    });
    sendWithSeq(res, seq, {
      path,
      seq,
      items,
      folders,
      total_items: total,
      offset,
      limit,
      version: 1,
      generated_at: ctx.clock().toISOString(),
      // The original names the columns only beside items (a count answers none).
      ...(countOnly ? { metric_keys: [], categorical_keys: [] } : columnKeys(view, rows)),
    } satisfies FoldersAnswer);
  });

  app.get('/folders/paths', (req, res) => {
    allowQuery(req, []);
    res.json({ paths: gallery.folderPaths() } satisfies FolderPathsAnswer);
  });

  app.get('/tags', (req, res) => {
    allowQuery(req, ['path', 'q', 'limit']);
    const path = queryPath(req, 'path', ROOT_PATH);
    const prefix = (queryString(req, 'q') ?? '').normalize('NFC').toLowerCase();
    const limit = queryInt(req, 'limit', { min: 1, max: 100_000, fallback: TAGS_DEFAULT_LIMIT });
    folderOrThrow(gallery, path);
    const seq = store.head();
    const labels = scopes.get(path, true).labelsAt(store.items(), seq);
    const counts = new Map<string, number>();
    for (const item of labels) {
      for (const tag of item.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
    const tags = [...counts]
      .filter(([tag]) => prefix === '' || tag.toLowerCase().startsWith(prefix))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, limit)
      .map(([tag, count]) => ({ tag, count }));
    sendWithSeq(res, seq, { path, seq, tags } satisfies TagsAnswer);
  });

  app.get('/item/detail', (req, res) => {
    allowQuery(req, ['path']);
    const path = queryPath(req);
    const entry = gallery.get(path);
    if (entry === undefined) throw new LensletError('not_found', `no image ${path}`);
    const seq = store.head();
    const labels = labelsOf(path);
    const view = ctx.catalog.view();
    const rows = labelRows(view, store.items(), seq);
    const row = view.engine.table.path_index.get(path);
    sendWithSeq(res, seq, {
      ...withTableColumns(
        toItemView(entry, labels, settings),
        tableColumnsOf(view, rows, path),
        null,
      ),
      seq,
      folder: parentPath(path),
      modified_at: new Date(entry.mtime_ms).toISOString(),
      file_url: fileUrl(path),
      field_versions: { ...labels.field_versions },
      ...(row < 0 ? {} : { fields: flatFields(view.engine.row(row, rows.metrics)) }),
      source: ctx.catalog.sourceValue(path) ?? path.slice(1),
    } satisfies ItemDetail);
  });
}
