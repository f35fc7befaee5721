/**
 * Which paths take labels, and what an accepted write does besides the record. A path can be
 * labeled when it is an indexed image or already has labels: a deleted file's labels stay
 * readable and writable (and come back with the file); any other path is 404 `not_found`, so a
 * typo never creates a label for an image that does not exist.
 */
import { type CanonicalPath, LensletError } from '@lenslet/core';
import type { RouteContext } from './context.ts';
import type { WriteRequest } from './write-request.ts';

export function isLabelable(ctx: RouteContext, path: CanonicalPath): boolean {
  return ctx.deps.gallery.get(path) !== undefined || ctx.deps.store.get(path).version > 1;
}

export function notLabelable(path: CanonicalPath): LensletError {
  return new LensletError(
    'not_found',
    `no image at ${path}: it is not in the gallery and has never been labeled`,
  );
}

/** Throw 404 `not_found` unless `path` can be labeled. */
export function assertLabelable(ctx: RouteContext, path: CanonicalPath): void {
  if (!isLabelable(ctx, path)) throw notLabelable(path);
}

/** After an accepted write: the writer's presence session counts as editing. */
export function noteWrite(ctx: RouteContext, write: WriteRequest): void {
  if (write.client_id !== null) ctx.presence.touchEdit(write.client_id);
}
