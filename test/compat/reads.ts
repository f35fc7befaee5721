/**
 * What the original Lenslet's web client (and a script written against it) reads from each
 * answer, as comparison rules: V = the same value (deterministic on the fixture), T = the same
 * JSON type (ids, times, tokens, epochs), named checks = the same meaning. Sources: the client's
 * types and reads listed in shared/original-api/README.md, checked against its built bundle.
 * `tableOnly` marks fields that only a table can fill (metrics, categoricals, table columns):
 * they are skipped when a table-mode recording is replayed on a folder server.
 */
import { both, check, each, entries, obj, type Rule, T, tableOnly, V } from './compare.ts';

const isIso = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** An ISO time; the original's '' (never written) stays '' (or null). */
export const ISO_TIME = check('iso time', (a, r) =>
  r === '' ? a === '' || a === null || a === undefined : isIso(a),
);
export const NON_EMPTY = check('non-empty string', (a) => typeof a === 'string' && a !== '');
export const oneOf = (...values: unknown[]): Rule =>
  check(`one of ${values.join('|')}`, (a) => values.includes(a));
const INT = check('integer', (a) => Number.isInteger(a));

/** `{boot_epoch, event_id}`: which accepted write, and the durable watermark. */
export const EVENT_IDENTITY = obj({ boot_epoch: NON_EMPTY, event_id: INT });

/** The durability state (`GET /sync/state`, `labels.persistence`, `persistence` frames). */
export const PERSISTENCE_STATE = obj({
  enabled: V,
  boot_epoch: NON_EMPTY,
  state: oneOf('saved', 'pending'),
  durable_watermark: EVENT_IDENTITY,
  pending_count: INT,
  error: V,
});

const ORIGINAL_MEDIA = obj({ mode: V, source_kind: V, proxy_available: V });

/** A grid item (`/folders`, `/item/detail`, `/search`, `/folders/query`). */
export const ITEM = obj({
  path: V,
  name: V,
  mime: V,
  width: V,
  height: V,
  size: V,
  added_at: ISO_TIME,
  star: V,
  notes: V,
  url: V,
  source: V,
  metrics: tableOnly(V),
  mutable_metric_keys: V,
  metric_labels: V,
  categoricals: tableOnly(V),
  original_media: ORIGINAL_MEDIA,
});

/** An item's labels (`GET /item`, a PATCH answer's `sidecar`, a 409's `current`). */
export const SIDECAR = obj({
  v: V,
  tags: V,
  notes: V,
  star: V,
  version: V,
  updated_at: ISO_TIME,
  updated_by: V,
  table_fields: tableOnly(V),
});

/** The durable-watermark rule the client's "Saved" indicator follows. */
const SAVED_MEANS_DURABLE = check('saved answer covers its event', (a) => {
  const body = a as {
    persistence?: string;
    accepted_event?: { event_id?: number } | null;
    durable_watermark?: { event_id?: number };
  };
  if (body.persistence !== 'saved' || !body.accepted_event) return true;
  return (body.durable_watermark?.event_id ?? -1) >= (body.accepted_event.event_id ?? Infinity);
});

export const PATCH_ANSWER = both(
  obj({
    sidecar: SIDECAR,
    mutation_id: V,
    accepted_event: EVENT_IDENTITY,
    persistence: oneOf('saved', 'pending'),
    durable_watermark: EVENT_IDENTITY,
  }),
  SAVED_MEANS_DURABLE,
);

const FIELD_CAPABILITIES = obj({
  metrics: V,
  categoricals: V,
  display_metrics: V,
  sortable_metrics: V,
  filterable_metrics: V,
  numeric_formula_inputs: V,
  categorical_inputs: V,
});

/** The client stops invalidating on live updates for fields not named here: more is safe. */
export const COVERS_MANIFEST = check('manifest covers the recorded one', (a, r) => {
  const actual = a as Record<string, unknown> | undefined;
  const recorded = r as Record<string, string[]>;
  if (!actual || typeof actual !== 'object') return false;
  if (actual.unknown === true) return true;
  return (['fields', 'metric_keys', 'categorical_keys'] as const).every(
    (k) =>
      Array.isArray(actual[k]) &&
      recorded[k]!.every((name) => (actual[k] as string[]).includes(name)),
  );
});

const HISTOGRAM = obj({ bins: V, min: V, max: V, count: V });

const DERIVED_STATUS = obj({
  key: V,
  status: V,
  valid_count: tableOnly(V),
  invalid_count: tableOnly(V),
  missing_numeric_inputs: V,
  unavailable_categorical_inputs: V,
  z_stats: tableOnly(entries(obj({ mean: V, std: V, count: V }))),
});

/** A direct listing's `total_items` is null in the original; a count that matches is as good. */
const NULL_OR_COUNT = check('null or the item count', (a, r) =>
  r === null ? a === null || Number.isInteger(a) : a === r,
);

/** An error answer's text: `message` (Lenslet, and the original's `{error, message}`) or `detail`. */
export const errorText = (body: unknown): string | null => {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== 'object') return null;
  if (typeof b.message === 'string') return b.message;
  if (typeof b.detail === 'string') return b.detail;
  return Array.isArray(b.detail) ? JSON.stringify(b.detail) : null;
};

/** A 4xx/5xx body the client can show, from the route itself (not "no route GET /x"). */
export const EXPLAINS = check('explains the error', (a) => {
  const text = errorText(a);
  return text !== null && !/^no route /.test(text);
});

type RouteReads = { readonly body: Rule };

/** A query answer; `items` is replaced where the order is not deterministic (added_at). */
export const queryAnswer = (items: Rule = each(ITEM)): Rule =>
  obj({
    version: V,
    path: V,
    generated_at: ISO_TIME,
    generation_token: NON_EMPTY,
    request_token: NON_EMPTY,
    analysis_query_key: NON_EMPTY,
    scope_total: V,
    filtered_total: V,
    offset: V,
    items,
    metric_keys: tableOnly(V),
    categorical_keys: tableOnly(V),
    derived_metric_status: DERIVED_STATUS,
    field_capabilities: tableOnly(FIELD_CAPABILITIES),
    dependency_manifest: COVERS_MANIFEST,
  });

const FACETS_ANSWER = obj({
  version: V,
  path: V,
  analysis_query_key: NON_EMPTY,
  total_items: V,
  metric_keys: tableOnly(V),
  categorical_keys: tableOnly(V),
  metrics: tableOnly(entries(obj({ histogram: HISTOGRAM }))),
  categoricals: tableOnly(entries(obj({ values: V }))),
  dependency_manifest: COVERS_MANIFEST,
});

/** The rules for a successful answer of each route the client calls (`METHOD /path`). */
export const READS: Readonly<Record<string, RouteReads>> = {
  'GET /health': {
    body: obj({
      mode: check('not the ranking app', (a) => typeof a === 'string' && a !== 'ranking'),
      can_write: V,
      workspace_id: NON_EMPTY,
      labels: obj({ enabled: V, persistence: PERSISTENCE_STATE }),
      refresh: tableOnly(obj({ enabled: V })),
      indexing: obj({ state: V, done: V, total: V }),
      table_launch_status: tableOnly(obj({ source_column: V, gallery_rows: V })),
      launch_session: obj({ kind: T, title_label: T }),
    }),
  },
  'GET /folders': {
    body: obj({
      version: V,
      path: V,
      generated_at: ISO_TIME,
      items: each(ITEM),
      folders: each(obj({ name: V })),
      metric_keys: tableOnly(V),
      categorical_keys: tableOnly(V),
      total_items: NULL_OR_COUNT,
    }),
  },
  'GET /folders/paths': { body: obj({ paths: V }) },
  'GET /folders/fields': {
    body: obj({
      version: V,
      path: V,
      metric_keys: tableOnly(V),
      categorical_keys: tableOnly(V),
      field_capabilities: tableOnly(FIELD_CAPABILITIES),
    }),
  },
  'GET /item/detail': { body: ITEM },
  'GET /search': { body: obj({ items: each(ITEM) }) },
  'GET /item': { body: SIDECAR },
  'PATCH /item': { body: PATCH_ANSWER },
  'PUT /item': { body: SIDECAR },
  'GET /sync/state': { body: PERSISTENCE_STATE },
  'POST /folders/query': { body: queryAnswer() },
  'GET /folders/facets': { body: FACETS_ANSWER },
  'POST /folders/facets': { body: FACETS_ANSWER },
  'GET /metadata': {
    body: obj({
      path: V,
      format: V,
      meta: obj({
        found_text_chunks: V,
        quick_fields: V,
        quick_view_defaults: V,
        exif: V,
        xmp: V,
      }),
    }),
  },
  'POST /presence/join': {
    body: obj({ gallery_id: V, viewing: V, editing: V, client_id: V, lease_id: NON_EMPTY }),
  },
  'POST /presence/move': {
    body: obj({
      client_id: V,
      lease_id: NON_EMPTY,
      from_scope: obj({ gallery_id: V, viewing: V, editing: V }),
      to_scope: obj({ gallery_id: V, viewing: V, editing: V }),
    }),
  },
  'POST /presence/leave': {
    body: obj({ gallery_id: V, viewing: V, editing: V, client_id: V, removed: V }),
  },
  'GET /presence/diagnostics': { body: obj({ active_clients: INT, active_scopes: INT }) },
  'POST /refresh': { body: obj({ ok: V, note: tableOnly(V) }) },
  'GET /embeddings': { body: obj({ embeddings: V, rejected: tableOnly(V) }) },
  /** "Not available" in the original's shape (the client then hides the image-column switch). */
  'GET /table/source-columns': {
    body: obj({
      enabled: check('boolean', (a) => typeof a === 'boolean'),
      columns: check('array', (a) => Array.isArray(a)),
    }),
  },
  'GET /views': { body: obj({ version: V, views: V }) },
  'PUT /views': { body: obj({ version: V, views: V }) },
};

/** `METHOD /route` of a recorded request. */
export const routeOf = (method: string, path: string): string => `${method} ${path.split('?')[0]}`;

/** Rules for error answers where the client reads more than the message. */
export const ERROR_READS: Readonly<Record<string, Rule>> = {
  'PATCH /item 409': obj({ error: V, current: SIDECAR }),
  'POST /presence/join 409': obj({ error: V, gallery_id: V, client_id: V }),
  'POST /presence/move 409': obj({ error: V, requested_gallery_id: V, actual_gallery_id: V }),
  'POST /presence/join 403': both(EXPLAINS, obj({ error: T })),
  'POST /embeddings/search 404': both(EXPLAINS, obj({ error: V })),
};
