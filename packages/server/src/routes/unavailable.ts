/**
 * Features of the original Lenslet that Lenslet does not have, answered in the original's
 * "not available" shape so its web client hides them instead of failing:
 * - `GET /embeddings`: `{embeddings: [], rejected: [{name, reason}]}` (no "Find similar"), each
 *   list column of a served table rejected with the reason (the original rejected them too);
 *   `POST /embeddings/search`: 404 `embedding_not_found`.
 * - `GET /table/source-columns`: `{enabled: false, current: null, columns: [], warning: null}`
 *   (no image-column switch); `POST /table/source-column`: 400 naming the column.
 */
import { LensletError } from '@lenslet/core';
import type { Express } from 'express';
import { jsonBody } from '../body.ts';
import type { RouteContext } from '../context.ts';
import { isInternalField } from '../query/label-rows.ts';
import { allowQuery } from '../query-params.ts';

const SMALL_BODY_LIMIT_BYTES = 64 * 1024;

function columnOf(body: unknown): string {
  const column =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>).source_column
      : undefined;
  return typeof column === 'string' ? column : String(column);
}

/** Why no column is an embedding here (the original said why a list column was not one). */
export const NO_EMBEDDINGS_REASON = 'Lenslet has no embeddings: similarity search is not available';

export function registerUnavailable(app: Express, ctx: RouteContext): void {
  const body = jsonBody(SMALL_BODY_LIMIT_BYTES);

  app.get('/embeddings', (req, res) => {
    allowQuery(req, []);
    const view = ctx.catalog.view();
    const rejected = view.engine.table.fields
      .filter((f) => f.role === 'multi' && !isInternalField(f.name))
      .map((f) => ({ name: f.name, reason: NO_EMBEDDINGS_REASON }));
    res.json({ embeddings: [], rejected });
  });
  app.post('/embeddings/search', body, () => {
    throw new LensletError(
      'embedding_not_found',
      'embedding not found: Lenslet has no embeddings (similarity search is not available)',
    );
  });
  app.get('/table/source-columns', (req, res) => {
    allowQuery(req, []);
    res.json({ enabled: false, current: null, columns: [], warning: null });
  });
  app.post('/table/source-column', body, (req) => {
    throw new LensletError(
      'invalid_request',
      `source column '${columnOf(req.body)}' not found: this server has no switchable image column`,
    );
  });
}
