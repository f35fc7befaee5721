/**
 * The first steps every route in the original Lenslet's dialect shares: its ownership headers,
 * its body parsed with core's `originalQuerySchema` and translated (translate.ts) into the one
 * engine query, the label rows at the log head; and the pieces of its answers (metric and
 * categorical keys, `derived_metric_status`).
 */
import {
  assertCanonicalPath,
  LensletError,
  originalQuerySchema,
  parseOrThrow,
} from '@lenslet/core';
import type { QueryResult } from '@lenslet/table';
import type { Request } from 'express';
import type { CatalogView } from '../catalog/catalog.ts';
import type { RouteContext } from '../context.ts';
import { folderOrThrow } from '../folder-or-throw.ts';
import { isInternalField, type LabelRows, labelRows } from '../query/label-rows.ts';
import { type OriginalDerived, translateOriginal } from './translate.ts';

export type Keys = { metric_keys: string[]; categorical_keys: string[] };

export function keysOf(view: CatalogView, rows: LabelRows): Keys {
  const list = view.engine.fields(rows.metrics);
  const visible = (names: readonly string[]) => names.filter((n) => !isInternalField(n)).sort();
  return {
    metric_keys: visible(list.metrics),
    categorical_keys: visible([...list.categoricals, ...list.multi]),
  };
}

export function derivedStatus(
  derived: OriginalDerived | null,
  result: Pick<QueryResult, 'derived'>,
) {
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

/**
 * The original's clients send `X-Lenslet-Client-Session` and `X-Lenslet-Query-Revision` with
 * every query in its dialect; it refuses a request with neither or only one (400), and so do we.
 */
export function checkOwnership(req: Request): void {
  const session = req.get('x-lenslet-client-session');
  const revision = req.get('x-lenslet-query-revision');
  if (session === undefined || revision === undefined) {
    throw new LensletError(
      'invalid_request',
      'analysis ownership headers must be sent together: X-Lenslet-Client-Session and X-Lenslet-Query-Revision (a query in the original Lenslet dialect)',
    );
  }
}

/** Parse an original body (`raw`) and run its plan's first steps (shared by query and facets). */
export function prepare(req: Request, ctx: RouteContext, raw: unknown) {
  checkOwnership(req);
  const body = parseOrThrow(originalQuerySchema, raw ?? {});
  const path = assertCanonicalPath(body.path);
  folderOrThrow(ctx.deps.gallery, path);
  const seq = ctx.deps.store.head();
  const view = ctx.catalog.view();
  const rows = labelRows(view, ctx.deps.store.items(), seq);
  const plan = translateOriginal({ ...body, path }, view, rows);
  return { body: { ...body, path }, seq, view, rows, plan };
}
