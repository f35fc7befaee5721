/**
 * `POST /folders/query` and `/folders/facets` in the original Lenslet's dialect (its web client
 * and scripts send `filters: {and}`, `sort: {kind}`, …): parsed with core's
 * `originalQuerySchema`, translated (translate.ts) into the one engine query Lenslet's dialect
 * also runs, answered in the original's shape (`scope_total`, `items` with `metrics` and
 * `categoricals`, `derived_metric_status`, `field_capabilities`; facets with `total_items`,
 * `count_provenance`, 40-bin histograms under every filter). Registered before Lenslet's own
 * handlers, which skip an original body (`next('route')` there is not needed: these answer it).
 */
import {
  assertCanonicalPath,
  EMPTY_LABELS,
  isOriginalBody,
  type OriginalQuery,
  originalQuerySchema,
  parseOrThrow,
} from '@lenslet/core';
import type { GalleryIndex } from '@lenslet/gallery';
import type { QueryResult } from '@lenslet/table';
import type { Express, Request } from 'express';
import { jsonBody, MAX_JSON_BODY_BYTES } from '../body.ts';
import type { CatalogView } from '../catalog/catalog.ts';
import type { RouteContext } from '../context.ts';
import { folderOrThrow } from '../folder-or-throw.ts';
import { sendWithSeq } from '../http.ts';
import { isInternalField, type LabelRows, labelRows } from '../query/label-rows.ts';
import { allowQuery } from '../query-params.ts';
import { fieldCapabilities } from './capabilities.ts';
import { type OriginalDerived, sourceTexts, translateOriginal } from './translate.ts';

export { isOriginalBody };

type Keys = { metric_keys: string[]; categorical_keys: string[] };

function keysOf(view: CatalogView, rows: LabelRows): Keys {
  const list = view.engine.fields(rows.metrics);
  const visible = (names: readonly string[]) => names.filter((n) => !isInternalField(n)).sort();
  return {
    metric_keys: visible(list.metrics),
    categorical_keys: visible([...list.categoricals, ...list.multi]),
  };
}

function derivedStatus(derived: OriginalDerived | null, result: Pick<QueryResult, 'derived'>) {
  const status = derived === null ? undefined : result.derived[0];
  return {
    key: derived?.key ?? null,
    display_name: derived?.name ?? null,
    status: derived === null ? 'none' : derived.available ? 'ready' : 'unavailable',
    score_scope: derived === null || !derived.available ? 'none' : 'scope',
    score_population_count: status?.population_count ?? 0,
    valid_count: status?.valid_count ?? 0,
    invalid_count: status?.invalid_count ?? 0,
    missing_numeric_inputs: derived?.missing_numeric_inputs ?? [],
    unavailable_categorical_inputs: derived?.unavailable_categorical_inputs ?? [],
    z_stats: status ? { ...status.z_stats } : {},
  };
}

function originalItems(
  view: CatalogView,
  gallery: GalleryIndex,
  rows: LabelRows,
  result: QueryResult,
  body: OriginalQuery,
) {
  const { engine } = view;
  const source = sourceTexts(view);
  const projection = body.projection ?? null;
  const items: Record<string, unknown>[] = [];
  for (const row of result.rows) {
    const path = engine.table.paths[row]!;
    const entry = gallery.get(path as never);
    if (entry === undefined) continue;
    const labels = rows.byRow[row] ?? EMPTY_LABELS;
    const record = engine.row(row, rows.metrics);
    const pick = <T>(values: Record<string, T | null>, wanted: readonly string[] | null) => {
      const out: Record<string, T> = {};
      for (const [name, value] of Object.entries(values)) {
        if (isInternalField(name) || value === null) continue;
        if (wanted === null || wanted.includes(name)) out[name] = value;
      }
      return out;
    };
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
      metrics: pick(record.metrics, projection?.metric_keys ?? null),
      mutable_metric_keys: [],
      metric_labels: null,
      categoricals: pick(record.categoricals, projection?.categorical_keys ?? null),
    });
  }
  return items;
}

/** Parse an original body and run its plan's first steps (shared by query and facets). */
function prepare(req: Request, ctx: RouteContext) {
  allowQuery(req, []);
  const body = parseOrThrow(originalQuerySchema, req.body ?? {});
  const path = assertCanonicalPath(body.path);
  folderOrThrow(ctx.deps.gallery, path);
  const seq = ctx.deps.store.head();
  const view = ctx.catalog.view();
  const rows = labelRows(view, ctx.deps.store.items(), seq);
  const plan = translateOriginal({ ...body, path }, view, rows);
  return { body: { ...body, path }, seq, view, rows, plan };
}

export function registerOriginalDialect(app: Express, ctx: RouteContext): void {
  const { gallery } = ctx.deps;
  const originalOnly = (req: Request) => isOriginalBody(req.body);

  app.post('/folders/query', jsonBody(MAX_JSON_BODY_BYTES), (req, res, next) => {
    if (!originalOnly(req)) return next();
    const { body, seq, view, rows, plan } = prepare(req, ctx);
    const result = view.engine.query(plan.query, plan.ctx);
    const keys = keysOf(view, rows);
    sendWithSeq(res, seq, {
      version: 1,
      path: body.path,
      generated_at: ctx.clock().toISOString(),
      generation_token: `${view.generation}|${seq}`,
      scope_total: result.scope_total,
      filtered_total: result.filtered_total,
      offset: result.offset,
      limit: body.limit,
      items: originalItems(view, gallery, rows, result, body),
      folders: (gallery.folder(body.path)?.folders ?? []).map((name) => ({
        name,
        kind: 'branch',
      })),
      ...keys,
      derived_metric_status: derivedStatus(plan.derived, result),
      field_capabilities: fieldCapabilities(
        plan.derived?.available ? [...keys.metric_keys, plan.derived.key] : keys.metric_keys,
        keys.categorical_keys,
      ),
    });
  });

  app.post('/folders/facets', jsonBody(MAX_JSON_BODY_BYTES), (req, res, next) => {
    if (!originalOnly(req)) return next();
    const { body, seq, view, rows, plan } = prepare(req, ctx);
    const keys = keysOf(view, rows);
    const derivedKeys = plan.derived?.available ? [plan.derived.key] : [];
    const wantedMetrics = body.facet_fields?.metric_keys.length
      ? body.facet_fields.metric_keys
      : [...derivedKeys, ...keys.metric_keys];
    const wantedCategoricals = body.facet_fields?.categorical_keys.length
      ? body.facet_fields.categorical_keys
      : keys.categorical_keys;
    const numeric = new Set([...keys.metric_keys, ...derivedKeys]);
    const categorical = new Set(keys.categorical_keys);
    const metrics = wantedMetrics.filter((k) => numeric.has(k));
    const categoricals = wantedCategoricals.filter((k) => categorical.has(k));
    const facets = view.engine.facets(
      plan.query,
      { metrics, categoricals, own_filter: 'include', bin_range: 'counted' },
      plan.ctx,
    );
    sendWithSeq(res, seq, {
      version: 1,
      path: body.path,
      generated_at: ctx.clock().toISOString(),
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
    });
  });
}
