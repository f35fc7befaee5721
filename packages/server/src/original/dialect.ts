/**
 * `POST /folders/query` in the original Lenslet's dialect (its web client and scripts send
 * `filters: {and}`, `sort: {kind}`, …; `/folders/facets` is facets.ts): parsed and translated
 * (prepare.ts, translate.ts) into the one engine query Lenslet's dialect also runs, answered in
 * the original's shape (`scope_total`, `items` with the projected `metrics` and `categoricals`,
 * `derived_metric_status`, `field_capabilities` and `metric_keys`/`categorical_keys` of the
 * projection, the analysis tokens and `dependency_manifest` (analysis.ts)). Registered before
 * Lenslet's own handlers, which skip an original body.
 */
import { EMPTY_LABELS, isOriginalBody, type OriginalQuery } from '@lenslet/core';
import type { GalleryIndex } from '@lenslet/gallery';
import type { QueryResult } from '@lenslet/table';
import type { Express, Request } from 'express';
import { jsonBody, MAX_JSON_BODY_BYTES } from '../body.ts';
import type { CatalogView } from '../catalog/catalog.ts';
import type { RouteContext } from '../context.ts';
import { sendWithSeq } from '../http.ts';
import { ORIGINAL_MEDIA } from '../item-view.ts';
import { isInternalField, type LabelRows } from '../query/label-rows.ts';
import { type ColumnKeys, columnKeys } from '../query/table-columns.ts';
import { allowQuery } from '../query-params.ts';
import { analysisQueryKey, dependencyManifest, requestToken } from './analysis.ts';
import { fieldCapabilities } from './capabilities.ts';
import { registerOriginalFacets } from './facets.ts';
import { derivedStatus, known, prepare } from './prepare.ts';
import { QueryRevisions } from './revisions.ts';
import { type OriginalDerived, sourceTexts } from './translate.ts';

export { isOriginalBody };

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

  registerOriginalFacets(app, ctx, revisions);
}
