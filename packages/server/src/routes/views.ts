/**
 * `GET /views`, `PUT /views`: the workspace's saved smart folders. The answer's `revision` is
 * also its ETag; a PUT with `If-Match` (or a body `revision`) is applied only if nobody saved in
 * between (409 version_conflict otherwise); without either it replaces the views. Every accepted
 * PUT is broadcast as `views-updated {revision}` on the live stream.
 */
import { type DeepReadonly, LensletError, parseOrThrow, type ViewsDocument } from '@lenslet/core';
import type { Express, Response } from 'express';
import { jsonBody, MAX_JSON_BODY_BYTES } from '../body.ts';
import type { RouteContext } from '../context.ts';
import { allowQuery } from '../query-params.ts';
import {
  createMemoryViews,
  createViewsFile,
  type ViewsRepository,
  viewsBodySchema,
} from '../views-file.ts';

/** `"3"`, `W/"3"` or `3` => 3; `*` or absent => no condition; anything else is an error. */
function parseRevision(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(raw);
  if (!match)
    throw new LensletError('invalid_request', 'If-Match must be a views revision such as "3"');
  return Number(match[1]);
}

function send(res: Response, doc: DeepReadonly<ViewsDocument>): void {
  res.set('ETag', `"${doc.revision}"`).set('Cache-Control', 'no-cache').json(doc);
}

export function registerViews(app: Express, ctx: RouteContext, repository?: ViewsRepository): void {
  const { config } = ctx;
  const views =
    repository ??
    ctx.deps.views ??
    (config.ephemeral || config.workspace === null
      ? createMemoryViews()
      : createViewsFile(config.workspace));

  app.get('/views', async (req, res) => {
    allowQuery(req, []);
    send(res, await views.read());
  });

  app.put('/views', jsonBody(MAX_JSON_BODY_BYTES), async (req, res) => {
    allowQuery(req, []);
    if (req.body === undefined)
      throw new LensletError('invalid_request', 'PUT /views needs a JSON body {"views": [...]}');
    const body = parseOrThrow(viewsBodySchema, req.body);
    const ifMatch = parseRevision(req.headers['if-match']);
    if (ifMatch !== undefined && body.revision !== undefined && ifMatch !== body.revision) {
      throw new LensletError(
        'invalid_request',
        `If-Match (${ifMatch}) and revision (${body.revision}) disagree`,
      );
    }
    const saved = await views.write(body.views, ifMatch ?? body.revision);
    if (!views.onChange) ctx.hub.broadcast('views-updated', { revision: saved.revision });
    send(res, saved);
  });
}
