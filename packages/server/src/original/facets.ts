/**
 * `/folders/facets` in the original Lenslet's dialect: `POST` with a body in its shape, and
 * `GET ?path=&recursive=` (what its web client sends on every folder change: the facets of a
 * scope with no filter). Both need its ownership headers and answer its shape: `total_items`,
 * `count_provenance`, per metric a 40-bin histogram over the counted rows under every filter (its
 * own too), per categorical the value counts, `field_capabilities`, `analysis_query_key` and
 * `dependency_manifest` (analysis.ts); every field unless `facet_fields` names some.
 */
import { isOriginalBody, ROOT_PATH } from '@lenslet/core';
import type { Express, Response } from 'express';
import { jsonBody, MAX_JSON_BODY_BYTES } from '../body.ts';
import type { RouteContext } from '../context.ts';
import { queryBool, queryPath, sendWithSeq } from '../http.ts';
import { columnKeys } from '../query/table-columns.ts';
import { allowQuery } from '../query-params.ts';
import { analysisQueryKey, dependencyManifest } from './analysis.ts';
import { fieldCapabilities } from './capabilities.ts';
import { derivedStatus, known, type Prepared, prepare } from './prepare.ts';
import type { QueryRevisions } from './revisions.ts';

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

export function registerOriginalFacets(
  app: Express,
  ctx: RouteContext,
  revisions: QueryRevisions,
): void {
  app.post('/folders/facets', jsonBody(MAX_JSON_BODY_BYTES), (req, res, next) => {
    if (!isOriginalBody(req.body)) return next();
    allowQuery(req, []);
    sendFacets(ctx, res, prepare(ctx, req, revisions, req.body));
  });

  app.get('/folders/facets', (req, res) => {
    allowQuery(req, ['path', 'recursive']);
    const scope = {
      path: queryPath(req, 'path', ROOT_PATH),
      recursive: queryBool(req, 'recursive', false),
    };
    sendFacets(ctx, res, prepare(ctx, req, revisions, scope));
  });
}
