/**
 * Saved views (smart folders): the answer of `GET`/`PUT /views`, the views this web client
 * stores in it, and the live event `views-updated` (SSE).
 *
 * Invariants: `version` is the file format (always 1, the original Lenslet's field);
 * `revision` counts accepted writes (0 before the first) and is the document's ETag. The server
 * keeps each view as an opaque JSON object; `savedViewSchema` is the shape this client writes
 * (unknown keys are kept, so a view written by another client survives our writes).
 * `views-updated` carries the new revision after every accepted PUT.
 */
import * as z from 'zod/mini';
import { countSchema } from './fields.ts';

export const viewsDocumentSchema = z.object({
  version: z.literal(1),
  revision: countSchema,
  views: z.array(z.record(z.string(), z.unknown())),
});

/** One saved view as the web client writes it: a folder (`pool`) and the view state (`view`). */
export const savedViewSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  pool: z.looseObject({ kind: z.literal('folder'), path: z.string() }),
  view: z.record(z.string(), z.unknown()),
});

/** The views document as the web client reads it: every view one it wrote and can show. */
export const savedViewsDocumentSchema = z.extend(viewsDocumentSchema, {
  views: z.array(savedViewSchema),
});

export const viewsUpdatedSchema = z.object({ revision: z.int().check(z.minimum(1)) });

export type ViewsDocument = z.infer<typeof viewsDocumentSchema>;
export type SavedView = z.infer<typeof savedViewSchema>;
export type ViewsUpdated = z.infer<typeof viewsUpdatedSchema>;
