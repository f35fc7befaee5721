/**
 * What an answer in the original Lenslet's dialect says about the query it answers (pure):
 * - `analysis_query_key` (`aq_…`): the same for every query with the same scope, filters, text,
 *   sort and derived metric, whatever the page or projection (a page and its facets share it);
 * - `request_token` (`bq_…`): that plus the page (offset, limit, projection, anchor);
 * - `dependency_manifest`: which item fields and which metric / categorical columns the answer
 *   depends on, so the original's client refreshes it only after a live change to one of them
 *   (`unknown: true` asks it to refresh after any change).
 * The tokens are opaque (its client ignores them; scripts may log them): a hash of the parts.
 */
import { createHash } from 'node:crypto';
import type { OriginalClause, OriginalQuery } from '@lenslet/core';

export type DependencyManifest = {
  fields: string[];
  metric_keys: string[];
  categorical_keys: string[];
  unknown: boolean;
};

const TEXT_FIELDS = ['name', 'path', 'tags', 'notes', 'source', 'url'];

const sortOf = (body: OriginalQuery) => body.sort ?? { kind: 'builtin', key: 'added', dir: 'desc' };

const token = (prefix: string, parts: unknown) =>
  `${prefix}_${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24)}`;

const sorted = (keys: readonly string[] | undefined) => [...new Set(keys ?? [])].sort();

/** `aq_…`: the identity of the filtering, ordering and scoring work. */
export function analysisQueryKey(body: OriginalQuery): string {
  const sort = sortOf(body);
  return token('aq', [
    body.path,
    body.recursive,
    body.filters,
    sort,
    body.text_query ?? null,
    sort.key === 'random' ? (body.random_seed ?? null) : null,
    body.derived_metric ?? null,
    body.unsupported_metric_intent ?? null,
  ]);
}

/** `bq_…`: the analysis plus the requested window and projection. */
export function requestToken(body: OriginalQuery): string {
  return token('bq', [
    analysisQueryKey(body),
    body.offset,
    body.limit,
    sorted(body.projection?.metric_keys),
    sorted(body.projection?.categorical_keys),
    body.anchor_path ?? null,
  ]);
}

/** The item fields a clause reads (metric and categorical clauses name their column instead). */
function clauseFields(clause: OriginalClause): readonly string[] {
  if (clause.starsIn || clause.starsNotIn) return ['star'];
  if (clause.nameContains || clause.nameNotContains) return ['name'];
  if (clause.notesContains || clause.notesNotContains) return ['notes'];
  if (clause.urlContains || clause.urlNotContains) return ['source', 'url'];
  if (clause.dateRange) return ['added_at'];
  if (clause.widthCompare) return ['width'];
  if (clause.heightCompare) return ['height'];
  return [];
}

/** The manifest of a query (`faceted`: the columns a facets answer counts besides). */
export function dependencyManifest(
  body: OriginalQuery,
  faceted: { metric_keys?: readonly string[]; categorical_keys?: readonly string[] } = {},
): DependencyManifest {
  const fields = new Set<string>();
  const metrics = new Set(faceted.metric_keys ?? []);
  const categoricals = new Set(faceted.categorical_keys ?? []);
  for (const clause of body.filters.and) {
    for (const field of clauseFields(clause)) fields.add(field);
    if (clause.metricRange) metrics.add(clause.metricRange.key);
    if (clause.categoricalIn) categoricals.add(clause.categoricalIn.key);
  }
  if (body.text_query?.trim()) for (const field of TEXT_FIELDS) fields.add(field);
  const sort = sortOf(body);
  if (sort.kind === 'metric') metrics.add(sort.key);
  else if (sort.key === 'added') fields.add('added_at');
  else if (sort.key === 'name') fields.add('name');
  const derived = body.derived_metric;
  if (derived) {
    for (const term of derived.numericTerms) metrics.add(term.key);
    for (const term of derived.categoricalTerms) categoricals.add(term.key);
  }
  const intent = body.unsupported_metric_intent;
  return {
    fields: [...fields].sort(),
    metric_keys: [...metrics].sort(),
    categorical_keys: [...categoricals].sort(),
    unknown: typeof intent === 'string' ? intent.trim() !== '' : intent != null,
  };
}
