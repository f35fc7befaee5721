/**
 * Batch writes: `POST /items/patch` (one patch for up to 10,000 items, one Idempotency-Key) and
 * `POST /items/metrics` (a model's scores for up to 10,000 items).
 *
 * Each item gets its own record and version. Dedup is per (key, path): retrying the same request
 * after a crash applies only the items that are missing and answers the others as before. In a
 * bulk patch, an item without `base_version` is last-writer-wins for `set_*` (the one documented
 * exception to the conflict rule). A request that is malformed anywhere changes nothing (400).
 */
import {
  assertCanonicalPath,
  type CanonicalPath,
  LensletError,
  metricsPatchSchema,
  type Patch,
  parseOrThrow,
  patchSchema,
} from '@lenslet/core';
import type { Persistence, WriteEntry } from '@lenslet/store';
import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import { jsonBody } from '../body.ts';
import type { RouteContext } from '../context.ts';
import { sendWithSeq } from '../http.ts';
import { isLabelable, noteWrite, notLabelable } from '../label-access.ts';
import { type BatchItem, toBatchAnswer } from '../write-answers.ts';
import { toWriteRequest } from '../write-request.ts';

export const MAX_BATCH_ITEMS = 10_000;
export const BATCH_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

const bulkPatchSchema = z.strictObject({
  items: z
    .array(z.strictObject({ path: z.string(), base_version: z.int().min(1).optional() }))
    .min(1, 'items must not be empty')
    .max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} items per request`),
  patch: patchSchema,
});

const bulkMetricsSchema = z.strictObject({
  items: z
    .array(z.strictObject({ path: z.string(), metrics: metricsPatchSchema }))
    .min(1, 'items must not be empty')
    .max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} items per request`),
});

/** Canonical paths of every item, refusing the whole request on a bad or repeated one. */
function itemPaths(items: readonly { path: string }[]): CanonicalPath[] {
  const seen = new Map<CanonicalPath, number>();
  return items.map((item, i) => {
    const path = assertCanonicalPath(item.path, `items.${i}.path`);
    const first = seen.get(path);
    if (first !== undefined) {
      throw new LensletError(
        'invalid_request',
        `items.${i}.path repeats items.${first}.path (${path}); send each item once`,
      );
    }
    seen.set(path, i);
    return path;
  });
}

function persistenceOf(ctx: RouteContext): Persistence {
  const durability = ctx.deps.store.status().durability;
  return durability === 'fsync' ? 'saved' : durability;
}

/** Apply entries that may be labeled; refuse the others as not_found (per item). */
async function applyItems(
  ctx: RouteContext,
  req: Request,
  res: Response,
  mode: 'bulk' | 'metrics',
  entries: readonly WriteEntry[],
): Promise<void> {
  const { store } = ctx.deps;
  const write = toWriteRequest(req.headers, mode, { keyRequired: mode === 'bulk' });
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
    persistence: persistenceOf(ctx),
  });
  sendWithSeq(res, answer.seq, answer);
}

export function registerLabelBatches(app: Express, ctx: RouteContext): void {
  const body = jsonBody(BATCH_BODY_LIMIT_BYTES);

  app.post('/items/patch', body, async (req: Request, res: Response) => {
    if (req.get('if-match') !== undefined) {
      throw new LensletError(
        'invalid_request',
        'If-Match is not used by /items/patch: send items[].base_version per item',
      );
    }
    const input = parseOrThrow(bulkPatchSchema, req.body, 'invalid_patch');
    if (input.patch.base_version !== undefined) {
      throw new LensletError(
        'invalid_patch',
        'patch.base_version is not used by /items/patch: send items[].base_version per item',
      );
    }
    const paths = itemPaths(input.items);
    const patch: Patch = input.patch;
    const entries = input.items.map(
      (item, i): WriteEntry => ({
        path: paths[i]!,
        patch,
        expected_version: item.base_version,
        last_writer_wins: item.base_version === undefined,
      }),
    );
    await applyItems(ctx, req, res, 'bulk', entries);
  });

  app.post('/items/metrics', body, async (req: Request, res: Response) => {
    const input = parseOrThrow(bulkMetricsSchema, req.body, 'invalid_patch');
    const paths = itemPaths(input.items);
    const entries = input.items.map(
      (item, i): WriteEntry => ({ path: paths[i]!, patch: { set_metrics: item.metrics } }),
    );
    await applyItems(ctx, req, res, 'metrics', entries);
  });
}
