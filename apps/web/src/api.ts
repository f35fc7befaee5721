/**
 * Thin fetch wrappers around the Lenslet HTTP API. Replies that carry labels are parsed at this
 * edge (core's `sidecarSchema` for single items, a cheap structural check for listings, which can
 * hold thousands of items); error bodies become `LensletError` with the HTTP status in
 * `details.status`; a request that never got an answer becomes `NetworkError`.
 * Every request sends `X-Lenslet-Client-Id` (one per page load) and, on writes, `X-Lenslet-User`
 * (the display name, UTF-8 percent-encoded).
 */
import {
  type CanonicalPath,
  type ErrorCode,
  isErrorBody,
  type Labels,
  LensletError,
  type Patch,
  type Sidecar,
  sidecarSchema,
} from '@lenslet/core';

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

/** File facts of one image as the browse routes answer them. */
export type ItemMeta = {
  readonly path: CanonicalPath;
  readonly name: string;
  readonly mime: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly size: number;
  readonly added_at: string;
  readonly thumb_url: string;
};

/** One listed image: file facts + labels (field_versions unknown to the browser: zeros). */
export type ListedItem = { readonly meta: ItemMeta; readonly labels: Labels };

export type FolderInfo = { readonly name: string; readonly count: number };

export type FolderListing = {
  readonly path: CanonicalPath;
  readonly seq: number;
  readonly folders: readonly FolderInfo[];
  readonly total_items: number;
};

export type StarKey = 'null' | '0' | '1' | '2' | '3' | '4' | '5';

export type QueryPage = {
  readonly seq: number;
  readonly items: readonly ListedItem[];
  readonly total: number;
  readonly filtered_total: number;
  readonly offset: number;
  readonly facets: { readonly star: Partial<Record<StarKey, number>> };
};

export type Range = { min?: number; max?: number };

/** Body of POST /folders/query (also POST /export). */
export type QueryBody = {
  path: string;
  recursive: boolean;
  offset?: number;
  limit?: number;
  filters: {
    star?: (number | null)[];
    tags?: { any?: string[]; all?: string[]; none?: string[] };
    notes?: string;
    name?: string;
    width?: Range;
    height?: Range;
    metrics?: Record<string, Range>;
    updated_by?: string[];
    updated_since?: string;
  };
  sort?:
    | { by: 'added' | 'name' | 'star' | 'updated_at'; dir: 'asc' | 'desc' }
    | { by: 'metric'; key: string; dir: 'asc' | 'desc' }
    | { by: 'random'; seed: number };
  text_query: string;
};

export type PatchAnswer = {
  readonly sidecar: Sidecar;
  readonly mutation_id: string;
  readonly accepted_event: { readonly seq: number } | null;
  readonly persistence: string;
};

export type BulkResult = {
  readonly path: CanonicalPath;
  readonly status: string;
  readonly sidecar?: Sidecar;
  readonly current?: Sidecar;
  readonly error?: { readonly error: string; readonly message: string };
};

export type HistoryEntry = {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly version: number;
  readonly mutation_id: string;
  readonly changes: readonly Record<string, unknown>[];
};

export type Health = {
  readonly can_write: boolean;
  /** Label persistence: saved | relaxed | memory | failing. */
  readonly state: string;
  readonly error: string | null;
  readonly log_id: string | null;
  readonly version: string;
};

export type PresenceCounts = { gallery_id: string; viewing: number; editing: number };

export type ViewsDoc = { version: number; views: SavedView[] };

export type SavedView = {
  id: string;
  name: string;
  pool: { kind: 'folder'; path: string };
  view: Record<string, unknown>;
};

export type ApiDeps = {
  readonly fetch: typeof fetch;
  /** Display name for writes, or null (the server records `anonymous`). */
  readonly user: () => string | null;
  readonly clientId: string;
  /** Called on any 401 answer (the server needs a token). */
  readonly onUnauthorized?: () => void;
};

type Json = Record<string, unknown>;

const EMPTY_FIELD_VERSIONS = Object.freeze({ star: 0, notes: 0, tags: 0 });

/** Labels from any wire object with the label fields (sidecar, item, event). */
export function toLabels(w: {
  star: number | null;
  tags: readonly string[];
  notes: string;
  metrics?: Record<string, number> | null;
  version: number;
  updated_at?: string | null;
  updated_by?: string | null;
}): Labels {
  return {
    star: w.star ?? null,
    tags: w.tags,
    notes: w.notes ?? '',
    metrics: w.metrics ?? {},
    version: w.version,
    updated_at: w.updated_at || null,
    updated_by: w.updated_by || null,
    field_versions: EMPTY_FIELD_VERSIONS,
  };
}

function fail(what: string): never {
  throw new LensletError('internal', `unexpected answer from the server (${what})`, {
    details: { status: 0 },
  });
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** Structural check of one listed item; cheaper than a schema for pages of 1,000. */
export function toListedItem(raw: unknown): ListedItem {
  const o = raw as Json & Partial<ItemMeta>;
  if (
    !isStr(o?.path) ||
    !isNum(o.version) ||
    !Array.isArray(o.tags) ||
    !(o.star === null || isNum(o.star))
  ) {
    fail('item');
  }
  const meta: ItemMeta = {
    path: o.path,
    name: o.name ?? o.path.slice(o.path.lastIndexOf('/') + 1),
    mime: o.mime ?? '',
    width: o.width ?? null,
    height: o.height ?? null,
    size: o.size ?? 0,
    added_at: o.added_at ?? '',
    thumb_url: o.thumb_url ?? `/thumb?path=${encodeURIComponent(o.path)}`,
  };
  return { meta, labels: toLabels(o as unknown as Sidecar) };
}

function parseSidecar(raw: unknown): Sidecar {
  const parsed = sidecarSchema.safeParse(raw);
  if (!parsed.success) fail('sidecar');
  return parsed.data as Sidecar;
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
    if (isErrorBody(body)) {
      throw new LensletError(body.error as ErrorCode, body.message, {
        details: { ...body, status: res.status },
      });
    }
    throw new LensletError('internal', `the server answered ${res.status} ${res.statusText}`, {
      details: { status: res.status },
    });
  }

  const json = async <T>(res: Promise<Response>): Promise<T> => (await res).json() as Promise<T>;
  const q = (params: Record<string, string | number | boolean | undefined>) => {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined) parts.push(`${k}=${encodeURIComponent(String(v))}`);
    }
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  };

  return {
    async health(): Promise<Health> {
      const h = await json<Json>(call('GET', '/health'));
      const labels = (h.labels ?? {}) as Json;
      return {
        can_write: h.can_write !== false,
        version: String(h.version ?? ''),
        state: String(labels.state ?? (labels.enabled === false ? 'memory' : 'saved')),
        // In memory mode the server says why (--no-write, demo gallery, unwritable workspace).
        error: isStr(labels.error) ? labels.error : null,
        log_id: isStr(labels.log_id) ? labels.log_id : null,
      };
    },

    async folder(path: string): Promise<FolderListing> {
      const raw = await json<Json>(call('GET', `/folders${q({ path, count_only: true })}`));
      if (!Array.isArray(raw.folders)) fail('folders');
      return {
        path: raw.path as CanonicalPath,
        seq: raw.seq as number,
        folders: (raw.folders as Json[]).map((f) => ({
          name: String(f.name),
          count: f.count as number,
        })),
        total_items: raw.total_items as number,
      };
    },

    async query(body: QueryBody): Promise<QueryPage> {
      const raw = await json<Json>(call('POST', '/folders/query', { body }));
      if (!Array.isArray(raw.items) || !isNum(raw.seq)) fail('query');
      const facets = (raw.facets ?? {}) as Json;
      return {
        seq: raw.seq,
        items: (raw.items as unknown[]).map(toListedItem),
        total: raw.total as number,
        filtered_total: raw.filtered_total as number,
        offset: raw.offset as number,
        facets: { star: (facets.star ?? {}) as QueryPage['facets']['star'] },
      };
    },

    async item(path: string): Promise<Sidecar> {
      return parseSidecar(await json(call('GET', `/item${q({ path })}`)));
    },

    async history(path: string, limit = 50): Promise<HistoryEntry[]> {
      const raw = await json<Json>(call('GET', `/item/history${q({ path, limit })}`));
      return (raw.records ?? []) as HistoryEntry[];
    },

    async tags(path: string): Promise<{ tag: string; count: number }[]> {
      const raw = await json<Json>(call('GET', `/tags${q({ path })}`));
      return Array.isArray(raw.tags) ? (raw.tags as { tag: string; count: number }[]) : [];
    },

    /** PATCH /item: `key` is the Idempotency-Key, `base` the version the edit was made on. */
    async patch(path: string, patch: Patch, key: string, base: number): Promise<PatchAnswer> {
      const raw = await json<Json>(
        call('PATCH', `/item${q({ path })}`, {
          body: { ...patch, base_version: base },
          headers: { 'Idempotency-Key': key },
          write: true,
        }),
      );
      return {
        sidecar: parseSidecar(raw.sidecar),
        mutation_id: String(raw.mutation_id ?? key),
        accepted_event: (raw.accepted_event as { seq: number } | null) ?? null,
        persistence: String(raw.persistence ?? ''),
      };
    },

    /** POST /items/patch: one key, one patch, each item with the version it was seen at. */
    async bulk(
      items: readonly { path: string; base_version: number }[],
      patch: Patch,
      key: string,
    ): Promise<{ seq: number; results: BulkResult[] }> {
      const raw = await json<Json>(
        call('POST', '/items/patch', {
          body: { items, patch },
          headers: { 'Idempotency-Key': key },
          write: true,
        }),
      );
      if (!Array.isArray(raw.results)) fail('bulk');
      return { seq: isNum(raw.seq) ? raw.seq : 0, results: raw.results as BulkResult[] };
    },

    async views(): Promise<{ doc: ViewsDoc; etag: string | null }> {
      const res = await call('GET', '/views');
      const doc = (await res.json()) as ViewsDoc;
      return {
        doc: { version: doc.version ?? 1, views: Array.isArray(doc.views) ? doc.views : [] },
        etag: res.headers.get('ETag'),
      };
    },

    async putViews(doc: ViewsDoc, etag: string | null): Promise<string | null> {
      const res = await call('PUT', '/views', {
        body: doc,
        headers: etag ? { 'If-Match': etag } : {},
        write: true,
      });
      return res.headers.get('ETag');
    },

    async presence(
      op: 'join' | 'move' | 'leave',
      body: Json,
      keepalive = false,
    ): Promise<Json & Partial<PresenceCounts>> {
      if (keepalive) {
        // pagehide: the page may be gone before an answer comes; fire and forget.
        void deps
          .fetch(`/presence/${op}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Lenslet-Client-Id': deps.clientId },
            body: JSON.stringify(body),
            keepalive: true,
          })
          .catch(() => {});
        return {};
      }
      return json(call('POST', `/presence/${op}`, { body }));
    },

    /** POST /export: every labeled item of the view's scope and filters (not its sort). */
    async exportBlob(format: 'csv' | 'json', body: QueryBody): Promise<Blob> {
      const { path, recursive, filters, text_query } = body;
      return (
        await call('POST', '/export', { body: { format, path, recursive, filters, text_query } })
      ).blob();
    },
  };
}
