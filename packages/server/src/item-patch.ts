/**
 * The core of `PATCH /item?path=`, as a plain function of the parsed query, the headers and the
 * parsed body: shared by the express route (routes/labels.ts) and the fast lane (fast-lane.ts),
 * so both validate, decide and record alike. It resolves once the record is durable (or kept in
 * memory on an ephemeral server); every refusal is a thrown LensletError.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { expectedVersion, parseIfMatch, parseOrThrow, patchSchema } from '@lenslet/core';
import type { ApplyResult } from '@lenslet/store';
import type { RouteContext } from './context.ts';
import { pathParam, type Query } from './http.ts';
import { assertLabelable, noteWrite } from './label-access.ts';
import { toWriteRequest } from './write-request.ts';

/** One item's body is small: notes ≤ 20,000 characters, ≤ 256 tags of ≤ 128. */
export const ITEM_BODY_LIMIT_BYTES = 1024 * 1024;

export type ItemPatchRequest = {
  readonly query: Query;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, undefined when none was sent. */
  readonly body: unknown;
};

export type ItemPatchOutcome = { readonly result: ApplyResult; readonly mutation_id: string };

/** Validate and apply one item patch (Idempotency-Key required; If-Match or base_version). */
export async function patchItem(
  ctx: RouteContext,
  request: ItemPatchRequest,
): Promise<ItemPatchOutcome> {
  const path = pathParam(request.query);
  const write = toWriteRequest(request.headers, 'patch', { keyRequired: true });
  const patch = parseOrThrow(patchSchema, request.body, 'invalid_patch');
  const expected = expectedVersion(parseIfMatch(request.headers['if-match']), patch.base_version);
  assertLabelable(ctx, path);
  const result = await ctx.deps.store.apply(
    { path, patch, expected_version: expected },
    write.meta,
  );
  noteWrite(ctx, write);
  return { result, mutation_id: write.meta.mutation_id };
}
