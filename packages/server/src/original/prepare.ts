/**
 * The first steps every route in the original Lenslet's dialect shares: its ownership headers
 * (revisions.ts: an older revision of a session is 409 `analysis_superseded`), its body parsed
 * with core's `originalQuerySchema` and translated (translate.ts) into the one engine query, the
 * label rows at the log head; and the pieces of its answers (`derived_metric_status`, the keys of
 * a projection).
 */
import { assertCanonicalPath, originalQuerySchema, parseOrThrow } from '@lenslet/core';
import type { QueryResult } from '@lenslet/table';
import type { Request } from 'express';
import type { RouteContext } from '../context.ts';
import { folderOrThrow } from '../folder-or-throw.ts';
import { labelRows } from '../query/label-rows.ts';
import { ownershipOf, type QueryRevisions } from './revisions.ts';
import { type OriginalDerived, translateOriginal } from './translate.ts';

export function derivedStatus(
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
export function known(
  wanted: readonly string[] | undefined,
  existing: readonly string[],
): string[] {
  const set = new Set(existing);
  return [...new Set(wanted ?? [])].filter((k) => set.has(k)).sort();
}

/** Parse an original body and run its plan's first steps (shared by query and facets). */
export function prepare(ctx: RouteContext, req: Request, revisions: QueryRevisions, raw: unknown) {
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

export type Prepared = ReturnType<typeof prepare>;
