/**
 * The query routes, one engine behind them (the catalog's: folders and tables alike):
 * `POST /folders/query` (a page of items, totals, star facets), `POST /folders/facets`
 * (histograms and value counts) and `GET|POST /folders/fields` (the field list). Each body is in
 * Lenslet's dialect or the original Lenslet's (told apart by shape: original/dialect.ts) and both
 * become one engine query. Answers carrying labels read the log head first (`seq`,
 * `Lenslet-Seq`) and the catalog's `generation`.
 */
import {
  assertCanonicalPath,
  type DerivedStatus,
  type FacetsAnswer,
  type FieldsAnswer,
  facetsQuerySchema,
  folderQuerySchema,
  parseOrThrow,
  type QueryAnswer,
  ROOT_PATH,
  STAR_KEYS,
  type StarFacet,
} from '@lenslet/core';
import type { DerivedStatus as EngineDerived, QueryResult } from '@lenslet/table';
import type { Express, Request, Response } from 'express';
import { jsonBody, MAX_JSON_BODY_BYTES } from '../body.ts';
import type { RouteContext } from '../context.ts';
import { folderOrThrow } from '../folder-or-throw.ts';
import { queryBool, queryPath, sendWithSeq } from '../http.ts';
import { isOriginalBody, registerOriginalDialect } from '../original/dialect.ts';
import { listFields } from '../query/field-list.ts';
import { itemsOf } from '../query/item-rows.ts';
import { labelRows } from '../query/label-rows.ts';
import { derivedOf, knownFields, lensletQuery } from '../query/lenslet-query.ts';
import { allowQuery } from '../query-params.ts';

/** Tally buckets 0–5 = stars, 6 = unrated, as the star facet. */
export function starFacet(tally: readonly number[] | null): StarFacet {
  const counts = tally ?? [];
  const facet = {} as StarFacet;
  for (const key of STAR_KEYS) facet[key] = counts[key === 'null' ? 6 : Number(key)] ?? 0;
  return facet;
}

function derivedStatus(
  derived: readonly EngineDerived[],
  body: { derived?: { formula: string; name?: string | undefined } | undefined },
): DerivedStatus | null {
  const status = derived[0];
  if (!status || !body.derived) return null;
  return {
    key: status.key,
    formula: body.derived.formula,
    name: body.derived.name ?? null,
    population_count: status.population_count,
    valid_count: status.valid_count,
    invalid_count: status.invalid_count,
    z_stats: { ...status.z_stats },
  };
}

/** `Server-Timing` of a query: its wall-clock and CPU time in the server. */
function timing(res: Response, started: number, cpu: NodeJS.CpuUsage): void {
  const used = process.cpuUsage(cpu);
  res.set(
    'Server-Timing',
    `query;dur=${(performance.now() - started).toFixed(1)}, cpu;dur=${((used.user + used.system) / 1000).toFixed(1)}`,
  );
}

export function registerQuery(app: Express, ctx: RouteContext): void {
  const { store, gallery } = ctx.deps;
  const { catalog, config } = ctx;
  registerOriginalDialect(app, ctx);

  app.post('/folders/query', jsonBody(MAX_JSON_BODY_BYTES), (req, res, next) => {
    allowQuery(req, []);
    if (isOriginalBody(req.body)) return next('route');
    const started = performance.now();
    const cpu = process.cpuUsage();
    const query = parseOrThrow(folderQuerySchema, req.body ?? {});
    const path = assertCanonicalPath(query.path);
    folderOrThrow(gallery, path);
    const seq = store.head();
    const view = catalog.view();
    const rows = labelRows(view, store.items(), seq);
    const plan = lensletQuery({ ...query, path }, view, rows);
    const result: QueryResult = view.engine.query(plan.query, plan.ctx);
    const items = itemsOf(view, gallery, rows, result, config, query.fields);
    timing(res, started, cpu);
    sendWithSeq(res, seq, {
      path,
      seq,
      items,
      total: result.scope_total,
      filtered_total: result.filtered_total,
      offset: result.offset,
      limit: query.limit,
      facets: { star: starFacet(result.tally) },
      derived: derivedStatus(result.derived, query),
      generation: view.generation,
    } satisfies QueryAnswer);
  });

  app.post('/folders/facets', jsonBody(MAX_JSON_BODY_BYTES), (req, res, next) => {
    allowQuery(req, []);
    if (isOriginalBody(req.body)) return next('route');
    const started = performance.now();
    const cpu = process.cpuUsage();
    const query = parseOrThrow(facetsQuerySchema, req.body ?? {});
    const path = assertCanonicalPath(query.path);
    folderOrThrow(gallery, path);
    const seq = store.head();
    const view = catalog.view();
    const rows = labelRows(view, store.items(), seq);
    const plan = lensletQuery({ ...query, path, limit: 0 }, view, rows);
    const list = view.engine.fields(rows.metrics);
    const known = knownFields(view, rows, plan.query.derived!.length > 0);
    const numeric = new Set([
      ...list.metrics,
      ...list.numbers,
      ...plan.query.derived!.map((d) => d.key),
    ]);
    const categorical = new Set([...list.categoricals, ...list.multi]);
    const wanted = query.facets?.fields ?? [
      ...list.metrics.filter((n) => !n.startsWith('@')),
      ...plan.query.derived!.map((d) => d.key),
      ...categorical,
    ];
    const facets = view.engine.facets(
      plan.query,
      {
        metrics: wanted.filter((n) => known.has(n) && numeric.has(n)),
        categoricals: wanted.filter((n) => known.has(n) && categorical.has(n)),
        ...(query.facets?.bins === undefined ? {} : { bins: query.facets.bins }),
      },
      plan.ctx,
    );
    timing(res, started, cpu);
    sendWithSeq(res, seq, {
      path,
      seq,
      generation: view.generation,
      scope_total: facets.scope_total,
      filtered_total: facets.filtered_total,
      star: starFacet(facets.tally),
      histograms: facets.metrics,
      categories: facets.categoricals,
      derived: derivedStatus(facets.derived, query),
    } satisfies FacetsAnswer);
  });

  const fields = (
    req: Request,
    res: Response,
    scope: { path: string; recursive: boolean },
    body: { derived?: { formula: string } },
  ) => {
    const path = assertCanonicalPath(scope.path);
    folderOrThrow(gallery, path);
    const seq = store.head();
    const view = catalog.view();
    const items = store.items();
    const rows = labelRows(view, items, seq);
    const listing = listFields(
      view,
      rows,
      items,
      { folder: path, recursive: scope.recursive },
      derivedOf(body),
    );
    sendWithSeq(res, seq, {
      path,
      seq,
      generation: view.generation,
      scope_total: listing.scope_total,
      fields: listing.fields,
      version: 1,
      generated_at: ctx.clock().toISOString(),
      metric_keys: listing.metric_keys,
      categorical_keys: listing.categorical_keys,
      field_capabilities: listing.field_capabilities,
    } satisfies FieldsAnswer);
    void req;
  };

  app.get('/folders/fields', (req, res) => {
    allowQuery(req, ['path', 'recursive']);
    fields(
      req,
      res,
      { path: queryPath(req, 'path', ROOT_PATH), recursive: queryBool(req, 'recursive', true) },
      {},
    );
  });

  app.post('/folders/fields', jsonBody(MAX_JSON_BODY_BYTES), (req, res) => {
    allowQuery(req, []);
    const body = req.body ?? {};
    if (isOriginalBody(body)) {
      const path = typeof body.path === 'string' ? body.path : '/';
      return fields(req, res, { path, recursive: body.recursive === true }, {});
    }
    const query = parseOrThrow(folderQuerySchema, body);
    fields(req, res, query, query);
  });
}
