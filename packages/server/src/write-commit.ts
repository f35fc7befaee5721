/**
 * The last steps of the write pipeline (write-pipeline.ts): ask the store, note the writer's
 * presence, build the answer. Every answer is sent only after the store resolved, i.e. once the
 * record is durable (fsync), or kept in memory on a server without a writable workspace
 * (`persistence: "memory"`). Which paths take labels: label-access.ts.
 */
import { LensletError } from '@lenslet/core';
import type { WriteEntry } from '@lenslet/store';
import type { RouteContext } from './context.ts';
import type { JsonAnswer } from './json-route.ts';
import { assertLabelable, isLabelable, noteWrite, notLabelable } from './label-access.ts';
import { sidecarColumns } from './query/table-columns.ts';
import { type BatchItem, toBatchAnswer, toPutAnswer, toWriteAnswer } from './write-answers.ts';
import type { WriteRequest } from './write-request.ts';

/**
 * One item: 404 unless it takes labels, `store.apply`, the sidecar with its version as ETag
 * (`flat`: the sidecar's fields at the top level too, `PUT /item`).
 */
export async function commitItem(
  ctx: RouteContext,
  entry: WriteEntry,
  write: WriteRequest,
  flat = false,
): Promise<JsonAnswer> {
  assertLabelable(ctx, entry.path);
  const columns = sidecarColumns(ctx.catalog, entry.path);
  const result = await ctx.deps.store.apply(entry, write.meta).catch((error: unknown) => {
    throw withCurrentColumns(error, columns);
  });
  noteWrite(ctx, write);
  const written = toWriteAnswer(result, write.meta.mutation_id, ctx.sync.boot_epoch);
  // Folder mode has no table columns: the answer as it is (no copies).
  const answer =
    Object.keys(columns).length === 0
      ? written
      : { ...written, sidecar: { ...written.sidecar, ...columns } };
  return {
    status: 200,
    body: flat ? toPutAnswer(answer) : answer,
    headers: { ETag: `"${result.labels.version}"`, 'Lenslet-Seq': String(result.seq) },
  };
}

/** A version conflict's `current` sidecar with the item's table columns (as GET /item has). */
function withCurrentColumns(error: unknown, columns: object): unknown {
  if (!(error instanceof LensletError) || error.code !== 'version_conflict') return error;
  const current = error.details.current;
  if (typeof current !== 'object' || current === null || Object.keys(columns).length === 0) {
    return error;
  }
  return new LensletError(error.code, error.message, {
    details: { ...error.details, current: { ...current, ...columns } },
    cause: error.cause,
  });
}

/**
 * A batch: items that take no labels are refused one by one (not_found), the others go to
 * `store.applyBatch` together; one result per requested item, in request order.
 */
export async function commitBatch(
  ctx: RouteContext,
  entries: readonly WriteEntry[],
  write: WriteRequest,
): Promise<JsonAnswer> {
  const { store } = ctx.deps;
  const items: (BatchItem | null)[] = [];
  const accepted: WriteEntry[] = [];
  for (const entry of entries) {
    if (isLabelable(ctx, entry.path)) {
      accepted.push(entry);
      items.push(null);
    } else {
      items.push({ kind: 'refused', path: entry.path, error: notLabelable(entry.path) });
    }
  }
  const outcomes = accepted.length > 0 ? await store.applyBatch(accepted, write.meta) : [];
  // A key reused for a different request: nothing was applied, answer 422 for the whole request.
  if (
    outcomes.length > 0 &&
    outcomes.every((o) => !o.ok && o.error.code === 'idempotency_key_reused')
  ) {
    const first = outcomes[0]!;
    if (!first.ok) throw first.error;
  }
  let next = 0;
  const all = items.map(
    (item): BatchItem => item ?? { kind: 'outcome', outcome: outcomes[next++]! },
  );
  if (all.some((i) => i.kind === 'outcome' && i.outcome.ok)) noteWrite(ctx, write);
  const answer = toBatchAnswer(all, {
    head: store.head(),
    mutation_id: write.meta.mutation_id,
    persistence: ctx.sync.persistence(),
  });
  return { status: 200, body: answer, headers: { 'Lenslet-Seq': String(answer.seq) } };
}
