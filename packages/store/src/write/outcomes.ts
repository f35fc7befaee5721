/**
 * Turn planned writes into answers once their records are durable. Shared by every store so a
 * retried key, a no-op and a conflict read the same in memory and on disk.
 */
import { type CanonicalPath, type Labels, LensletError, toSidecar } from '@lenslet/core';
import type {
  ApplyResult,
  BatchOutcome,
  LabelStore,
  Persistence,
  WriteEntry,
  WriteMeta,
} from '../port/label-store.ts';
import type { PlannedWrite } from './write-head.ts';

export type OutcomeContext = {
  /** Durable head now. */
  readonly head: number;
  readonly persistence: Persistence;
  /** Labels of `path` right after record `seq` (for answering a retried key). */
  readonly labelsAfter: (
    path: CanonicalPath,
    seq: number,
  ) => Promise<{ labels: Labels; base?: number }>;
  /** Current durable labels. */
  readonly current: (path: CanonicalPath) => Labels;
};

/** Build each entry's outcome; `version_conflict` errors get the current sidecar attached. */
export function toOutcomes(
  planned: readonly PlannedWrite[],
  ctx: OutcomeContext,
): Promise<BatchOutcome[]> {
  // Only a retried key needs a read (its labels as of the original record); the rest is plain
  // data, built without a promise per entry.
  if (!planned.some((plan) => plan.kind === 'retry')) {
    return Promise.resolve(planned.map((plan) => outcomeOf(plan as NotRetry, ctx)));
  }
  return Promise.all(
    planned.map(async (plan): Promise<BatchOutcome> => {
      if (plan.kind !== 'retry') return outcomeOf(plan, ctx);
      const { labels, base } = await ctx.labelsAfter(plan.path, plan.seq);
      return {
        ok: true,
        result: {
          path: plan.path,
          labels,
          record: null,
          rebased: base !== undefined && base < labels.version - 1,
          replayed: true,
          seq: plan.seq,
          persistence: ctx.persistence,
        },
      };
    }),
  );
}

type NotRetry = Exclude<PlannedWrite, { kind: 'retry' }>;

function outcomeOf(plan: NotRetry, ctx: OutcomeContext): BatchOutcome {
  switch (plan.kind) {
    case 'record':
      return { ok: true, result: recordResult(plan, ctx.persistence) };
    case 'noop':
      return {
        ok: true,
        result: {
          path: plan.path,
          labels: plan.labels,
          record: null,
          rebased: false,
          replayed: false,
          seq: ctx.head,
          persistence: ctx.persistence,
        },
      };
    case 'error': {
      if (plan.error.code !== 'version_conflict')
        return { ok: false, path: plan.path, error: plan.error };
      const current = toSidecar(plan.path, ctx.head, ctx.current(plan.path));
      const error = new LensletError(plan.error.code, plan.error.message, {
        details: { ...plan.error.details, current },
      });
      return { ok: false, path: plan.path, error };
    }
  }
}

/** The answer to a write that made a record, once the record is durable. */
export function recordResult(
  plan: Extract<PlannedWrite, { kind: 'record' }>,
  persistence: Persistence,
): ApplyResult {
  return {
    path: plan.record.path,
    labels: plan.labels,
    record: plan.record,
    rebased: plan.rebased,
    replayed: false,
    seq: plan.record.seq,
    persistence,
  };
}

/** The result of a one-entry batch; its per-entry error is thrown. */
export function onlyResult(outcomes: readonly BatchOutcome[]): ApplyResult {
  const outcome = outcomes[0]!;
  if (outcome.ok) return outcome.result;
  throw outcome.error;
}

/** `apply` for every store: a batch of one entry, whose per-entry error is thrown. */
export async function applyOne(
  store: Pick<LabelStore, 'applyBatch'>,
  entry: WriteEntry,
  meta: WriteMeta,
): Promise<ApplyResult> {
  return onlyResult(await store.applyBatch([entry], meta));
}
