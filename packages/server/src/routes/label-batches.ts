/**
 * Batch writes: `POST /items/patch` (one patch for up to 10,000 items, one Idempotency-Key) and
 * `POST /items/metrics` (a model's scores for up to 10,000 items).
 *
 * Each item gets its own record and version. Dedup is per (key, path): retrying the same request
 * after a crash applies only the items that are missing and answers the others as before. In a
 * bulk patch, an item without `base_version` is last-writer-wins for `set_*` (the one documented
 * exception to the conflict rule). A request that is malformed anywhere changes nothing (400).
 * write-pipeline.ts runs them; write-commit.ts `commitBatch` answers one result per item.
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
import type { WriteEntry } from '@lenslet/store';
import { z } from 'zod';
import type { JsonRoute } from '../json-route.ts';
import { writeRoute } from '../write-pipeline.ts';

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

export const BATCH_WRITES: readonly JsonRoute[] = [
  writeRoute({
    kind: 'batch',
    method: 'POST',
    path: '/items/patch',
    body_limit: BATCH_BODY_LIMIT_BYTES,
    mode: 'bulk',
    key_required: true,
    entries: ({ body, headers }) => {
      if (headers['if-match'] !== undefined) {
        throw new LensletError(
          'invalid_request',
          'If-Match is not used by /items/patch: send items[].base_version per item',
        );
      }
      const input = parseOrThrow(bulkPatchSchema, body, 'invalid_patch');
      if (input.patch.base_version !== undefined) {
        throw new LensletError(
          'invalid_patch',
          'patch.base_version is not used by /items/patch: send items[].base_version per item',
        );
      }
      const paths = itemPaths(input.items);
      const patch: Patch = input.patch;
      return input.items.map(
        (item, i): WriteEntry => ({
          path: paths[i]!,
          patch,
          expected_version: item.base_version,
          last_writer_wins: item.base_version === undefined,
        }),
      );
    },
  }),
  writeRoute({
    kind: 'batch',
    method: 'POST',
    path: '/items/metrics',
    body_limit: BATCH_BODY_LIMIT_BYTES,
    mode: 'metrics',
    key_required: false,
    entries: ({ body }) => {
      const input = parseOrThrow(bulkMetricsSchema, body, 'invalid_patch');
      const paths = itemPaths(input.items);
      return input.items.map(
        (item, i): WriteEntry => ({ path: paths[i]!, patch: { set_metrics: item.metrics } }),
      );
    },
  }),
];
