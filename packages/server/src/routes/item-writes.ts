/**
 * The writes to one item, `?path=` in the query (write-pipeline.ts runs them):
 * - `PATCH /item`: a patch (core `patchSchema`); Idempotency-Key required; a `set_*` needs
 *   If-Match or `base_version`, which must agree. The hottest route: the fast lane serves it.
 * - `PUT /item`: the full star/tags/notes; without If-Match the last writer wins. Its answer also
 *   carries the sidecar's fields at the top level (the original's scripts read `.star`).
 * - `PUT /item/metrics`: merge scores (`null` deletes one); If-Match optional.
 */
import {
  expectedVersion,
  metricsPatchSchema,
  parseIfMatch,
  parseOrThrow,
  patchSchema,
} from '@lenslet/core';
import { z } from 'zod';
import type { JsonRoute } from '../json-route.ts';
import { writeRoute } from '../write-pipeline.ts';
import { readPatchFast } from './patch-body.ts';

/** One item's body is small: notes ≤ 20,000 characters, ≤ 256 tags of ≤ 128. */
export const ITEM_BODY_LIMIT_BYTES = 1024 * 1024;

const shape = patchSchema.shape;
/** PUT /item: the full star/tags/notes (other sidecar fields a client echoes back are ignored). */
const putSchema = z.object({
  star: shape.set_star.unwrap(),
  tags: shape.set_tags.unwrap(),
  notes: shape.set_notes.unwrap(),
});
const putMetricsSchema = z.strictObject({ metrics: metricsPatchSchema });

export const ITEM_WRITES: readonly JsonRoute[] = [
  writeRoute({
    kind: 'item',
    method: 'PATCH',
    path: '/item',
    body_limit: ITEM_BODY_LIMIT_BYTES,
    lane: true,
    mode: 'patch',
    key_required: true,
    entry: (path, { body, headers }) => {
      // A valid plain body without zod (patch-body.ts); anything else gets zod and its message.
      const patch = readPatchFast(body) ?? parseOrThrow(patchSchema, body, 'invalid_patch');
      const expected = expectedVersion(parseIfMatch(headers['if-match']), patch.base_version);
      return { path, patch, expected_version: expected };
    },
  }),
  writeRoute({
    kind: 'item',
    method: 'PUT',
    path: '/item',
    body_limit: ITEM_BODY_LIMIT_BYTES,
    mode: 'put',
    key_required: false,
    flat_answer: true,
    entry: (path, { body, headers }) => {
      const input = parseOrThrow(putSchema, body, 'invalid_patch');
      const expected = parseIfMatch(headers['if-match']);
      return {
        path,
        patch: { set_star: input.star, set_tags: input.tags, set_notes: input.notes },
        expected_version: expected,
        last_writer_wins: expected === undefined,
      };
    },
  }),
  writeRoute({
    kind: 'item',
    method: 'PUT',
    path: '/item/metrics',
    body_limit: ITEM_BODY_LIMIT_BYTES,
    mode: 'metrics',
    key_required: false,
    entry: (path, { body, headers }) => {
      const input = parseOrThrow(putMetricsSchema, body, 'invalid_patch');
      const expected = parseIfMatch(headers['if-match']);
      return { path, patch: { set_metrics: input.metrics }, expected_version: expected };
    },
  }),
];
