/**
 * Thin fetch wrappers around the Lenslet HTTP API. Every answer is parsed at this edge with its
 * schema from core's protocol (`packages/core/src/protocol/`); an answer that does not parse is a
 * `LensletError` naming the route and the first issue (with the answer's status in
 * `details.status`), never a cast. Error bodies become `LensletError` with the HTTP status in
 * `details.status`; a request that never got an answer becomes `NetworkError`.
 * Every request sends `X-Lenslet-Client-Id` (one per page load) and, on writes, `X-Lenslet-User`
 * (the display name, UTF-8 percent-encoded).
 */
import {
  type BatchAnswer,
  type BatchItemResult,
  batchAnswerSchema,
  DERIVED_FIELD,
  errorBodySchema,
  type FacetsAnswer,
  type FieldsAnswer,
  type FolderEntry,
  type FolderQuery,
  type FoldersAnswer,
  facetsAnswerSchema,
  fieldsAnswerSchema,
  foldersAnswerSchema,
  type HealthAnswer,
  type HistoryEntry,
  healthAnswerSchema,
  historyAnswerSchema,
  type ItemDetail,
  itemDetailSchema,
  LensletError,
  type MessageOf,
  type MessageSchema,
  type MetadataAnswer,
  metadataAnswerSchema,
  type NumberRange,
  type Patch,
  type PresenceCounts,
  type PresenceJoinAnswer,
  type PresenceLeaveAnswer,
  type PresenceMoveAnswer,
  presenceJoinAnswerSchema,
  presenceLeaveAnswerSchema,
  presenceMoveAnswerSchema,
  type QueryAnswer,
  queryAnswerSchema,
  readMessage,
  type SavedView,
  type Sidecar,
  type StarFacet,
  type StarKey,
  savedViewsDocumentSchema,
  sidecarSchema,
  type TagCount,
  tagsAnswerSchema,
  type ViewsDocument,
  viewsDocumentSchema,
  type WriteAnswer,
  writeAnswerSchema,
} from '@lenslet/core';
import { type ListedItem, listed } from './listed-item.ts';

/** The request never got an HTTP answer (server down, network gone, aborted). */
export class NetworkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** HTTP status of an error thrown by the api (0 for a network error or anything else). */
export function statusOf(error: unknown): number {
  if (error instanceof LensletError) return Number(error.details.status) || 0;
  return 0;
}

export { type ItemMeta, type ListedItem, toLabels, toListedItem } from './listed-item.ts';
export type { HistoryEntry, MetadataAnswer, PresenceCounts, SavedView, StarKey };

export type FolderInfo = Readonly<Pick<FolderEntry, 'name' | 'count'>>;

export type FolderListing = Readonly<Pick<FoldersAnswer, 'path' | 'seq' | 'total_items'>> & {
  readonly folders: readonly FolderInfo[];
};

/** One page of `POST /folders/query`, its items as listed items. */
export type QueryPage = Readonly<
  Pick<QueryAnswer, 'seq' | 'total' | 'filtered_total' | 'offset' | 'derived'>
> & {
  readonly items: readonly ListedItem[];
  readonly facets: { readonly star: Partial<StarFacet> };
};

export type Range = NumberRange;

/** Body of POST /folders/query (also POST /export): core's query body, paging optional. */
export type QueryBody = Omit<FolderQuery, 'offset' | 'limit'> &
  Partial<Pick<FolderQuery, 'offset' | 'limit'>>;

/** What the writer reads of a write answer. */
export type PatchAnswer = Pick<
  WriteAnswer,
  'sidecar' | 'mutation_id' | 'accepted_event' | 'persistence'
>;

export type BulkResult = BatchItemResult;

/** What the app reads of `/health`. */
export type Health = Pick<HealthAnswer, 'can_write' | 'version' | 'tables'> &
  Pick<HealthAnswer['labels'], 'state' | 'error' | 'log_id' | 'integrity'>;

/** The fields of a scope (`/folders/fields`). */
export type FieldList = Pick<FieldsAnswer, 'generation' | 'scope_total' | 'fields'>;

/** The metrics panel's counts (`POST /folders/facets`). */
export type Facets = Pick<
  FacetsAnswer,
  'generation' | 'scope_total' | 'filtered_total' | 'histograms' | 'categories' | 'derived'
>;

/** Every field of one item's row and its image column's raw value (`/item/detail`). */
export type ItemRow = Pick<ItemDetail, 'path' | 'fields' | 'source'>;

export type ViewsDoc = Pick<ViewsDocument, 'version'> & { views: SavedView[] };

export type ApiDeps = {
  readonly fetch: typeof fetch;
  /** Display name for writes, or null (the server records `anonymous`). */
  readonly user: () => string | null;
  readonly clientId: string;
  /** Called on any 401 answer (the server needs a token). */
  readonly onUnauthorized?: () => void;
};

type Json = Record<string, unknown>;

/** An answer that is not what the protocol says: the route, the first problem, the status. */
function badAnswer(route: string, status: number, problem: string): LensletError {
  return new LensletError('internal', `unexpected answer from the server to ${route}: ${problem}`, {
    details: { status, route },
  });
}

/** A random idempotency key / id: 22 url-safe characters (getRandomValues works on plain http too). */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let out = '';
  for (const b of bytes)
    out += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[b & 63];
  return out;
}

export type Api = ReturnType<typeof createApi>;

export function createApi(deps: ApiDeps) {
  async function call(
    method: string,
    url: string,
    init: { body?: unknown; headers?: Record<string, string>; write?: boolean } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      'X-Lenslet-Client-Id': deps.clientId,
      ...init.headers,
    };
    const user = deps.user();
    if (init.write && user) headers['X-Lenslet-User'] = encodeURIComponent(user);
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await deps.fetch(url, {
        method,
        headers,
        credentials: 'same-origin',
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    } catch (cause) {
      throw new NetworkError(`could not reach the server (${method} ${url.split('?')[0]})`, {
        cause,
      });
    }
    if (res.ok) return res;
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      // Not JSON (a proxy's error page): the status alone tells.
    }
    if (res.status === 401) deps.onUnauthorized?.();
    const refusal = readMessage(errorBodySchema, body);
    if (refusal.ok) {
      throw new LensletError(refusal.data.error, refusal.data.message, {
        details: { ...refusal.data, status: res.status },
      });
    }
    throw new LensletError('internal', `the server answered ${res.status} ${res.statusText}`, {
      details: { status: res.status },
    });
  }

  /** The answer's JSON, parsed with its protocol schema; `route` names it in errors. */
  async function read<S extends MessageSchema>(
    route: string,
    answer: Response | Promise<Response>,
    schema: S,
  ): Promise<MessageOf<S>> {
    const res = await answer;
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw badAnswer(route, res.status, 'the answer is not JSON');
    }
    const parsed = readMessage(schema, body);
    if (!parsed.ok) throw badAnswer(route, res.status, parsed.problem);
    return parsed.data;
  }

  const q = (params: Record<string, string | number | boolean | undefined>) => {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined) parts.push(`${k}=${encodeURIComponent(String(v))}`);
    }
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  };

  function presence(op: 'join', body: Json, keepalive?: false): Promise<PresenceJoinAnswer>;
  function presence(op: 'move', body: Json, keepalive?: false): Promise<PresenceMoveAnswer>;
  function presence(
    op: 'leave',
    body: Json,
    keepalive?: boolean,
  ): Promise<PresenceLeaveAnswer | null>;
  /** POST /presence/{op}; with `keepalive` (page hide) fire and forget: resolves null at once. */
  async function presence(
    op: 'join' | 'move' | 'leave',
    body: Json,
    keepalive = false,
  ): Promise<PresenceJoinAnswer | PresenceMoveAnswer | PresenceLeaveAnswer | null> {
    if (keepalive) {
      // pagehide: the page may be gone before an answer comes.
      void deps
        .fetch(`/presence/${op}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Lenslet-Client-Id': deps.clientId },
          body: JSON.stringify(body),
          keepalive: true,
        })
        .catch(() => {});
      return null;
    }
    const route = `POST /presence/${op}`;
    const answer = call('POST', `/presence/${op}`, { body });
    if (op === 'join') return read(route, answer, presenceJoinAnswerSchema);
    if (op === 'move') return read(route, answer, presenceMoveAnswerSchema);
    return read(route, answer, presenceLeaveAnswerSchema);
  }

  return {
    async health(): Promise<Health> {
      const h = await read('GET /health', call('GET', '/health'), healthAnswerSchema);
      const { state, error, log_id, integrity } = h.labels;
      // In memory mode `error` says why (--no-write, demo gallery, unwritable workspace).
      return {
        can_write: h.can_write,
        version: h.version,
        tables: h.tables,
        state,
        error,
        log_id,
        integrity,
      };
    },

    async folder(path: string): Promise<FolderListing> {
      const url = `/folders${q({ path, count_only: true })}`;
      return read('GET /folders', call('GET', url), foldersAnswerSchema);
    },

    async query(body: QueryBody): Promise<QueryPage> {
      const route = 'POST /folders/query';
      const page = await read(route, call('POST', '/folders/query', { body }), queryAnswerSchema);
      const { seq, total, filtered_total, offset, facets, derived } = page;
      return { seq, total, filtered_total, offset, facets, derived, items: page.items.map(listed) };
    },

    async fields(path: string, recursive: boolean): Promise<FieldList> {
      const url = `/folders/fields${q({ path, recursive })}`;
      return read('GET /folders/fields', call('GET', url), fieldsAnswerSchema);
    },

    /** POST /folders/facets: the query body (its paging and sort do not matter) plus `facets`. */
    async facets(
      body: QueryBody & { facets?: { fields?: string[]; bins?: number } },
    ): Promise<Facets> {
      const answer = call('POST', '/folders/facets', { body });
      return read('POST /folders/facets', answer, facetsAnswerSchema);
    },

    /** GET /metadata: what is embedded in the image (prompt, seed, … and the raw fields). */
    async metadata(path: string): Promise<MetadataAnswer> {
      const url = `/metadata${q({ path })}`;
      return read('GET /metadata', call('GET', url), metadataAnswerSchema);
    },

    async row(path: string): Promise<ItemRow> {
      const url = `/item/detail${q({ path })}`;
      return read('GET /item/detail', call('GET', url), itemDetailSchema);
    },

    async item(path: string): Promise<Sidecar> {
      return read('GET /item', call('GET', `/item${q({ path })}`), sidecarSchema);
    },

    async history(path: string, limit = 50): Promise<HistoryEntry[]> {
      const url = `/item/history${q({ path, limit })}`;
      return (await read('GET /item/history', call('GET', url), historyAnswerSchema)).records;
    },

    async tags(path: string): Promise<TagCount[]> {
      return (await read('GET /tags', call('GET', `/tags${q({ path })}`), tagsAnswerSchema)).tags;
    },

    /** PATCH /item: `key` is the Idempotency-Key, `base` the version the edit was made on. */
    async patch(path: string, patch: Patch, key: string, base: number): Promise<PatchAnswer> {
      const answer = call('PATCH', `/item${q({ path })}`, {
        body: { ...patch, base_version: base },
        headers: { 'Idempotency-Key': key },
        write: true,
      });
      return read('PATCH /item', answer, writeAnswerSchema);
    },

    /** POST /items/patch: one key, one patch, each item with the version it was seen at. */
    async bulk(
      items: readonly { path: string; base_version: number }[],
      patch: Patch,
      key: string,
    ): Promise<Pick<BatchAnswer, 'seq' | 'results'>> {
      const answer = call('POST', '/items/patch', {
        body: { items, patch },
        headers: { 'Idempotency-Key': key },
        write: true,
      });
      return read('POST /items/patch', answer, batchAnswerSchema);
    },

    async views(): Promise<{ doc: ViewsDoc; etag: string | null }> {
      const res = await call('GET', '/views');
      const { version, views } = await read('GET /views', res, savedViewsDocumentSchema);
      return { doc: { version, views }, etag: res.headers.get('ETag') };
    },

    async putViews(doc: ViewsDoc, etag: string | null): Promise<string | null> {
      const res = await call('PUT', '/views', {
        body: doc,
        headers: etag ? { 'If-Match': etag } : {},
        write: true,
      });
      await read('PUT /views', res, viewsDocumentSchema);
      return res.headers.get('ETag');
    },

    presence,

    /** POST /export: every labeled item of the view's scope and filters (not its sort). */
    async exportBlob(format: 'csv' | 'json', body: QueryBody): Promise<Blob> {
      const { path, recursive, filters, text_query, derived } = body;
      // The derived score goes along when a filter needs it.
      const scored = derived && filters.metrics?.[DERIVED_FIELD] ? { derived } : {};
      const request = { format, path, recursive, filters, text_query, ...scored };
      return (await call('POST', '/export', { body: request })).blob();
    },
  };
}
