/**
 * `POST /folders/query` and `GET|POST /folders/facets` in the original Lenslet's dialect (its web
 * client and scripts send `filters: {and}`, `sort: {kind}`, …): parsed with core's
 * `originalQuerySchema`, translated (translate.ts) into the one engine query Lenslet's dialect
 * also runs, answered in the original's shape (`scope_total`, `items` with the projected
 * `metrics` and `categoricals`, `derived_metric_status`, `field_capabilities` and
 * `metric_keys`/`categorical_keys` of the projection, the analysis tokens and
 * `dependency_manifest` (analysis.ts); facets with `total_items`, `count_provenance`, 40-bin
 * histograms under every filter). The ownership headers are checked first (revisions.ts: an
 * older revision of a session is 409 `analysis_superseded`). Registered before Lenslet's own
 * handlers, which skip an original body.
 */
import {
  assertCanonicalPath,
  EMPTY_LABELS,
  isOriginalBody,
  type OriginalQuery,
  originalQuerySchema,
  parseOrThrow,
  ROOT_PATH,
} from '@lenslet/core';
import type { GalleryIndex } from '@lenslet/gallery';
import type { QueryResult } from '@lenslet/table';
import type { Express, Request, Response } from 'express';
import { jsonBody, MAX_JSON_BODY_BYTES } from '../body.ts';
import type { CatalogView } from '../catalog/catalog.ts';
import type { RouteContext } from '../context.ts';
import { folderOrThrow } from '../folder-or-throw.ts';
import { queryBool, queryPath, sendWithSeq } from '../http.ts';
import { ORIGINAL_MEDIA } from '../item-view.ts';
import { isInternalField, type LabelRows, labelRows } from '../query/label-rows.ts';
import { type ColumnKeys, columnKeys } from '../query/table-columns.ts';
import { allowQuery } from '../query-params.ts';
import { analysisQueryKey, dependencyManifest, requestToken } from './analysis.ts';
import { fieldCapabilities } from './capabilities.ts';
import { ownershipOf, QueryRevisions } from './revisions.ts';
import { type OriginalDerived, sourceTexts, translateOriginal } from './translate.ts';

export { isOriginalBody };

function derivedStatus(
  derived: OriginalDerived | null,
  result: Pick<QueryResult, 'derived' | 'filtered_total'>,
) {
  const status = derived === null ? undefined : result.derived[0];
  const unavailable = derived !== null && !derived.available;
  const population = status?.population_count ?? (unavailable ? result.filtered_total : 0);
  return {
    key: derived?.key ?? null,
    display_name: derived?.name ?? null,
    status: derived === null ? 'none' : unavailable ? 'unavailable' : 'applied',
    score_scope: derived === null ? 'none' : 'query_filtered',
    score_population_count: population,
    valid_count: status?.valid_count ?? 0,
    invalid_count: status?.invalid_count ?? (unavailable ? population : 0),
    missing_numeric_inputs: derived?.missing_numeric_inputs ?? [],
    unavailable_categorical_inputs: derived?.unavailable_categorical_inputs ?? [],
    z_stats: status ? { ...status.z_stats } : {},
  };
}

/** The keys of `wanted` that exist (the derived key when it is available), sorted, unique. */
function known(wanted: readonly string[] | undefined, existing: readonly string[]): string[] {
  const set = new Set(existing);
  return [...new Set(wanted ?? [])].filter((k) => set.has(k)).sort();
}

/** The columns a query answer projects: `projection`'s keys that exist. */
function projectedKeys(body: OriginalQuery, keys: ColumnKeys, derived: OriginalDerived | null) {
  const metrics = derived?.available ? [...keys.metric_keys, derived.key] : keys.metric_keys;
  return {
    metric_keys: known(body.projection?.metric_keys, metrics),
    categorical_keys: known(body.projection?.categorical_keys, keys.categorical_keys),
  };
}

function originalItems(
  view: CatalogView,
  gallery: GalleryIndex,
  rows: LabelRows,
  result: QueryResult,
  projected: ColumnKeys,
) {
  const { engine } = view;
  const source = sourceTexts(view);
  // Only the projected keys with a value; `null` when there is none (as the original).
  const pick = <T>(values: Record<string, T | null>, wanted: readonly string[]) => {
    if (wanted.length === 0) return null;
    const out: Record<string, T> = {};
    for (const name of wanted) {
      const value = values[name];
      if (value !== null && value !== undefined && !isInternalField(name)) out[name] = value;
    }
    return Object.keys(out).length > 0 ? out : null;
  };
  const items: Record<string, unknown>[] = [];
  result.rows.forEach((row, i) => {
    const path = engine.table.paths[row]!;
    const entry = gallery.get(path as never);
    if (entry === undefined) return;
    const labels = rows.byRow[row] ?? EMPTY_LABELS;
    const record = engine.row(row, rows.metrics);
    const derived: Record<string, number | null> = {};
    for (const [key, values] of Object.entries(result.derived_values)) {
      derived[key] = values[i] ?? null;
    }
    items.push({
      path,
      name: entry.name,
      mime: entry.mime,
      width: entry.width ?? 0,
      height: entry.height ?? 0,
      size: entry.size,
      has_thumbnail: entry.missing !== true,
      has_metadata: true,
      hash: null,
      added_at: entry.added_at,
      star: labels.star,
      notes: labels.notes,
      url: null,
      source: source(row),
      metrics: pick({ ...record.metrics, ...derived }, projected.metric_keys),
      mutable_metric_keys: Object.keys(labels.metrics),
      metric_labels: null,
      categoricals: pick(record.categoricals, projected.categorical_keys),
      original_media: ORIGINAL_MEDIA,
    });
  });
  return items;
}

/** Parse an original body and run its plan's first steps (shared by query and facets). */
function prepare(ctx: RouteContext, req: Request, revisions: QueryRevisions, raw: unknown) {
  const owner = ownershipOf(
    req.get('x-lenslet-client-session'),
    req.get('x-lenslet-query-revision'),
  );
  const body = parseOrThrow(originalQuerySchema, raw ?? {});
  const path = assertCanonicalPath(body.path);
  folderOrThrow(ctx.deps.gallery, path);
  revisions.admit(owner.session, owner.revision);
  const seq = ctx.deps.store.head();
  const view = ctx.catalog.view();
  const rows = labelRows(view, ctx.deps.store.items(), seq);
  const plan = translateOriginal({ ...body, path }, view, rows);
  return { body: { ...body, path }, seq, view, rows, plan };
}

type Prepared = ReturnType<typeof prepare>;

/** The facets answer (`GET` and `POST /folders/facets`): every field unless `facet_fields`. */
function sendFacets(ctx: RouteContext, res: Response, prepared: Prepared): void {
  const { body, seq, view, rows, plan } = prepared;
  const keys = columnKeys(view, rows);
  const derivedKeys = plan.derived?.available ? [plan.derived.key] : [];
  const asked = body.facet_fields ?? null;
  const metrics = known(asked?.metric_keys ?? [...derivedKeys, ...keys.metric_keys], [
    ...keys.metric_keys,
    ...derivedKeys,
  ]);
  const categoricals = known(
    asked?.categorical_keys ?? keys.categorical_keys,
    keys.categorical_keys,
  );
  const facets = view.engine.facets(
    plan.query,
    { metrics, categoricals, own_filter: 'include', bin_range: 'counted' },
    plan.ctx,
  );
  sendWithSeq(res, seq, {
    version: 1,
    path: body.path,
    generated_at: ctx.clock().toISOString(),
    analysis_query_key: analysisQueryKey(body),
    total_items: facets.filtered_total,
    count_provenance: {
      scope_total: facets.scope_total,
      query_filtered_total: facets.filtered_total,
      loaded_window_total: null,
      source: 'backend_query',
    },
    metric_keys: metrics,
    categorical_keys: categoricals,
    metrics: Object.fromEntries(
      metrics.map((k) => {
        const h = facets.metrics[k];
        return [
          k,
          {
            histogram: h ? { bins: h.bins, min: h.min, max: h.max, count: h.count } : null,
            categories: [],
          },
        ];
      }),
    ),
    categoricals: Object.fromEntries(
      categoricals.map((k) => [
        k,
        {
          values: (facets.categoricals[k]?.values ?? []).map((v) => ({
            value: v.value,
            population_count: v.count,
          })),
        },
      ]),
    ),
    derived_metric_status: derivedStatus(plan.derived, facets),
    field_capabilities: fieldCapabilities(metrics, categoricals),
    dependency_manifest: dependencyManifest(body, {
      metric_keys: metrics,
      categorical_keys: categoricals,
    }),
  });
}

export function registerOriginalDialect(app: Express, ctx: RouteContext): void {
  const { gallery } = ctx.deps;
  const revisions = new QueryRevisions(() => ctx.clock().getTime());
  const originalOnly = (req: Request) => isOriginalBody(req.body);

  app.post('/folders/query', jsonBody(MAX_JSON_BODY_BYTES), (req, res, next) => {
    if (!originalOnly(req)) return next();
    allowQuery(req, []);
    const { body, seq, view, rows, plan } = prepare(ctx, req, revisions, req.body);
    const result = view.engine.query(plan.query, plan.ctx);
    const projected = projectedKeys(body, columnKeys(view, rows), plan.derived);
    sendWithSeq(res, seq, {
      version: 1,
      path: body.path,
      generated_at: ctx.clock().toISOString(),
      generation_token: `${view.generation}|${seq}`,
      request_token: requestToken(body),
      analysis_query_key: analysisQueryKey(body),
      scope_total: result.scope_total,
      filtered_total: result.filtered_total,
      offset: result.offset,
      limit: body.limit,
      items: originalItems(view, gallery, rows, result, projected),
      folders: (gallery.folder(body.path)?.folders ?? []).map((name) => ({
        name,
        kind: 'branch',
      })),
      ...projected,
      derived_metric_status: derivedStatus(plan.derived, result),
      field_capabilities: fieldCapabilities(projected.metric_keys, projected.categorical_keys),
      dependency_manifest: dependencyManifest(body),
    });
  });

  app.post('/folders/facets', jsonBody(MAX_JSON_BODY_BYTES), (req, res, next) => {
    if (!originalOnly(req)) return next();
    allowQuery(req, []);
    sendFacets(ctx, res, prepare(ctx, req, revisions, req.body));
  });

  // The original's client asks GET on every folder change (its histograms and chips).
  app.get('/folders/facets', (req, res) => {
    allowQuery(req, ['path', 'recursive']);
    const scope = {
      path: queryPath(req, 'path', ROOT_PATH),
      recursive: queryBool(req, 'recursive', false),
    };
    sendFacets(ctx, res, prepare(ctx, req, revisions, scope));
  });
}
