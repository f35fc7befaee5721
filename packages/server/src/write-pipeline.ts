/**
 * The one write pipeline of the label routes (`PATCH`/`PUT /item`, `PUT /item/metrics`,
 * `POST /items/patch`, `POST /items/metrics`). Every write goes through the same steps:
 *
 *   access (stages.ts) → body (body.ts, the route's limit) → validation → request metadata
 *   (actor, Idempotency-Key, presence client; write-request.ts) → store.apply / applyBatch
 *   (write-commit.ts) → answer
 *
 * (A `PATCH /item` whose key the original Lenslet answered before its workspace was imported gets
 * that stored answer again after the request metadata, and nothing is applied.)
 *
 * A route declares only what differs: method and path, whether the fast lane serves it, its
 * write mode, whether an Idempotency-Key is required, and how its body (plus If-Match) becomes
 * the store's entries. The first two steps run before the handler, in express or in the lane.
 *
 * One ordering detail is part of the contract (which error a doubly-bad request gets): an item
 * write checks its `?path=` and then the headers before its body; a batch, whose paths are in its
 * body, validates the whole body first.
 */
import type { CanonicalPath } from '@lenslet/core';
import type { WriteEntry, WriteMode } from '@lenslet/store';
import { pathParam } from './http.ts';
import type { JsonRequest, JsonRoute } from './json-route.ts';
import { commitBatch, commitItem } from './write-commit.ts';
import { toWriteRequest } from './write-request.ts';

type Declared = Pick<JsonRoute, 'method' | 'path' | 'body_limit'> & {
  /** Served by the fast lane (default false). */
  readonly lane?: boolean;
  readonly mode: WriteMode;
  /** PATCH-like routes require an Idempotency-Key; the others generate one when none is sent. */
  readonly key_required: boolean;
};

/** A write to the one item named by `?path=`. */
export type ItemWrite = Declared & {
  readonly kind: 'item';
  /** Validate the body (and If-Match) into the entry for `path`; throws a LensletError. */
  readonly entry: (path: CanonicalPath, request: JsonRequest) => WriteEntry;
  /** Answer the sidecar's fields at the top level too (`PUT /item`, as the original did). */
  readonly flat_answer?: boolean;
};

/** A write to the items listed in the body, each its own record (up to MAX_BATCH_ITEMS). */
export type BatchWrite = Declared & {
  readonly kind: 'batch';
  /** Validate the whole request into the entries; throws a LensletError, changing nothing. */
  readonly entries: (request: JsonRequest) => readonly WriteEntry[];
};

/** Declare a write route: the pipeline above, with what `spec` says differs. */
export function writeRoute(spec: ItemWrite | BatchWrite): JsonRoute {
  const { method, path, body_limit, lane = false, mode, key_required } = spec;
  const meta = (request: JsonRequest) =>
    toWriteRequest(request.headers, mode, { keyRequired: key_required });
  const handle: JsonRoute['handle'] =
    spec.kind === 'item'
      ? async (ctx, request) => {
          const target = pathParam(request.query);
          const write = meta(request);
          // A retry of a request the original Lenslet answered before the import: its answer.
          const earlier = mode === 'patch' && ctx.deps.legacy_answers?.get(write.meta.mutation_id);
          if (earlier) return { status: earlier.status, body: earlier.body };
          return commitItem(ctx, spec.entry(target, request), write, spec.flat_answer);
        }
      : (ctx, request) => {
          const entries = spec.entries(request);
          return commitBatch(ctx, entries, meta(request));
        };
  return { method, path, body_limit, lane, handle };
}
