/**
 * The JSON answers of label writes, built from store results (pure).
 *
 * - Single writes (PATCH / PUT /item, PUT /item/metrics): `{sidecar, mutation_id, accepted_event,
 *   persistence, durable_watermark, rebased}`. `accepted_event` is `{seq, boot_epoch, event_id}`
 *   of the record (event_id = seq, the original Lenslet's words), `null` for a no-op; the
 *   watermark is at the record (at the head for a no-op). A retried idempotency key gets the same
 *   answer as the first time (labels as of that record). `PUT /item` also answers the sidecar's
 *   fields at the top level (`toPutAnswer`), as the original did.
 * - Batches (POST /items/patch, POST /items/metrics): `{seq, results, applied, unchanged,
 *   conflicts, failed}`, one result per requested item in request order.
 */
import {
  type BatchAnswer,
  type BatchItemResult,
  type BatchItemStatus,
  type CanonicalPath,
  type ErrorBody,
  type LensletError,
  type PutAnswer,
  type Sidecar,
  toSidecar,
  type WriteAnswer,
} from '@lenslet/core';
import type { ApplyResult, BatchOutcome, Persistence } from '@lenslet/store';

/** The answer of one write; `boot_epoch` is this server process's (sync-state.ts). */
export function toWriteAnswer(
  result: ApplyResult,
  mutation_id: string,
  boot_epoch: string,
): WriteAnswer {
  const recorded = result.record !== null || result.replayed;
  const event_id = result.seq;
  return {
    sidecar: toSidecar(result.path, result.seq, result.labels),
    mutation_id,
    accepted_event: recorded ? { seq: result.seq, boot_epoch, event_id } : null,
    persistence: result.persistence,
    durable_watermark: { boot_epoch, event_id },
    rebased: result.rebased,
  };
}

/** `PUT /item`'s answer: the sidecar's fields, then the write answer. */
export function toPutAnswer(answer: WriteAnswer): PutAnswer {
  return { ...answer.sidecar, ...answer };
}

/** One item of a batch: an outcome from the store, or an error found before the store was asked. */
export type BatchItem =
  | { readonly kind: 'outcome'; readonly outcome: BatchOutcome }
  | { readonly kind: 'refused'; readonly path: CanonicalPath; readonly error: LensletError };

function toItemResult(item: BatchItem): BatchItemResult {
  if (item.kind === 'refused') {
    return { path: item.path, status: 'failed', error: item.error.toBody() };
  }
  const { outcome } = item;
  if (outcome.ok) {
    const { result } = outcome;
    return {
      path: result.path,
      status: result.record !== null || result.replayed ? 'applied' : 'unchanged',
      sidecar: toSidecar(result.path, result.seq, result.labels),
    };
  }
  const { current, ...details } = outcome.error.details;
  const error: ErrorBody = {
    ...details,
    error: outcome.error.code,
    message: outcome.error.message,
  };
  if (outcome.error.code === 'version_conflict') {
    return { path: outcome.path, status: 'conflict', current: current as Sidecar, error };
  }
  return { path: outcome.path, status: 'failed', error };
}

/** The answer of a batch; `head` is the durable head when the store answered. */
export function toBatchAnswer(
  items: readonly BatchItem[],
  context: {
    readonly head: number;
    readonly mutation_id: string;
    readonly persistence: Persistence;
  },
): BatchAnswer {
  const results = items.map(toItemResult);
  let seq = 0;
  for (const item of items) {
    if (item.kind === 'outcome' && item.outcome.ok) seq = Math.max(seq, item.outcome.result.seq);
  }
  const count = (status: BatchItemStatus) => results.filter((r) => r.status === status).length;
  return {
    seq: seq === 0 ? context.head : seq,
    mutation_id: context.mutation_id,
    persistence: context.persistence,
    results,
    applied: count('applied'),
    unchanged: count('unchanged'),
    conflicts: count('conflict'),
    failed: count('failed'),
  };
}
