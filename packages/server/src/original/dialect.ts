/**
 * `POST /folders/query` and `/folders/facets` (facets.ts) in the original Lenslet's dialect (its
 * web client and scripts send `filters: {and}`, `sort: {kind}`, …): parsed with core's
 * `originalQuerySchema`, translated (translate.ts) into the one engine query Lenslet's dialect
 * also runs, answered in the original's shape (`scope_total`, `items` with `metrics` and
 * `categoricals`, `derived_metric_status`, `field_capabilities`). Registered before Lenslet's own
 * handlers, which skip an original body (`next('route')` there is not needed: these answer it).
 */
import { EMPTY_LABELS, isOriginalBody, type OriginalQuery } from '@lenslet/core';
import type { GalleryIndex } from '@lenslet/gallery';
import type { QueryResult } from '@lenslet/table';
import type { Express, Request } from 'express';
import { jsonBody, MAX_JSON_BODY_BYTES } from '../body.ts';
import type { CatalogView } from '../catalog/catalog.ts';
import type { RouteContext } from '../context.ts';
import { sendWithSeq } from '../http.ts';
import { isInternalField, type LabelRows } from '../query/label-rows.ts';
import { allowQuery } from '../query-params.ts';
import { fieldCapabilities } from './capabilities.ts';
import { registerOriginalFacets } from './facets.ts';
import { derivedStatus, keysOf, prepare } from './prepare.ts';
import { sourceTexts } from './translate.ts';

export { isOriginalBody };

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

export function registerOriginalDialect(app: Express, ctx: RouteContext): void {
  const { gallery } = ctx.deps;
  const originalOnly = (req: Request) => isOriginalBody(req.body);

  app.post('/folders/query', jsonBody(MAX_JSON_BODY_BYTES), (req, res, next) => {
    if (!originalOnly(req)) return next();
    allowQuery(req, []);
    const { body, seq, view, rows, plan } = prepare(req, ctx, req.body);
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

  registerOriginalFacets(app, ctx);
}
