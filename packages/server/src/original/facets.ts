/**
 * `/folders/facets` in the original Lenslet's dialect: `POST` with a body in its shape, and
 * `GET ?path=&recursive=` (what its web client sends first: the facets of a scope with no
 * filter). Both need its ownership headers and answer its shape: `total_items`,
 * `count_provenance`, per metric a 40-bin histogram over the counted rows under every filter
 * (its own too), per categorical the value counts, `field_capabilities`.
 */
import { isOriginalBody } from '@lenslet/core';
import type { Express, Request, Response } from 'express';
import { jsonBody, MAX_JSON_BODY_BYTES } from '../body.ts';
import type { RouteContext } from '../context.ts';
import { queryBool, queryString, sendWithSeq } from '../http.ts';
import { allowQuery } from '../query-params.ts';
import { fieldCapabilities } from './capabilities.ts';
import { derivedStatus, keysOf, prepare } from './prepare.ts';

function answer(req: Request, res: Response, ctx: RouteContext, raw: unknown): void {
  const { body, seq, view, rows, plan } = prepare(req, ctx, raw);
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
}

export function registerOriginalFacets(app: Express, ctx: RouteContext): void {
  app.post('/folders/facets', jsonBody(MAX_JSON_BODY_BYTES), (req, res, next) => {
    if (!isOriginalBody(req.body)) return next();
    allowQuery(req, []);
    answer(req, res, ctx, req.body);
  });

  app.get('/folders/facets', (req, res) => {
    allowQuery(req, ['path', 'recursive']);
    const scope = {
      path: queryString(req, 'path') ?? '/',
      recursive: queryBool(req, 'recursive', false),
    };
    answer(req, res, ctx, scope);
  });
}
