/**
 * Presence routes: `POST /presence/join|move|leave` and `GET /presence/diagnostics`. Bodies are
 * parsed here (zod at the edge); the rules live in presence.ts. A body without `client_id` is the
 * browser's session (session.ts), as the original Lenslet's client sends it: one browser is then
 * one viewer, however many tabs it has open.
 */
import { assertCanonicalPath, LensletError, parseOrThrow } from '@lenslet/core';
import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import { jsonBody } from '../body.ts';
import type { RouteContext } from '../context.ts';
import { requestSession } from '../session.ts';

const clientIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, 'must be 1–128 printable ASCII characters without spaces');
const leaseSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, 'must be the lease_id of an earlier answer');

const joinSchema = z.strictObject({
  gallery_id: z.string(),
  client_id: clientIdSchema.optional(),
  lease_id: leaseSchema.optional(),
});
const moveSchema = z.strictObject({
  from_gallery_id: z.string(),
  to_gallery_id: z.string(),
  client_id: clientIdSchema.optional(),
  lease_id: leaseSchema,
});
const leaveSchema = z.strictObject({
  gallery_id: z.string(),
  client_id: clientIdSchema.optional(),
  lease_id: leaseSchema,
});

const PRESENCE_BODY_LIMIT_BYTES = 16 * 1024;

/** The body's client_id, else the browser's session. */
function clientOf(req: Request, sent: string | undefined): string {
  const client = sent ?? requestSession(req);
  if (client === null) {
    throw new LensletError('invalid_request', "client_id: send the tab's client_id");
  }
  return client;
}

export function registerPresence(app: Express, ctx: RouteContext): void {
  const body = jsonBody(PRESENCE_BODY_LIMIT_BYTES);

  app.post('/presence/join', body, (req: Request, res: Response) => {
    const input = parseOrThrow(joinSchema, req.body);
    res.json(
      ctx.presence.join({
        gallery_id: assertCanonicalPath(input.gallery_id, 'gallery_id'),
        client_id: clientOf(req, input.client_id),
        lease_id: input.lease_id,
      }),
    );
  });

  app.post('/presence/move', body, (req: Request, res: Response) => {
    const input = parseOrThrow(moveSchema, req.body);
    res.json(
      ctx.presence.move({
        from_gallery_id: assertCanonicalPath(input.from_gallery_id, 'from_gallery_id'),
        to_gallery_id: assertCanonicalPath(input.to_gallery_id, 'to_gallery_id'),
        client_id: clientOf(req, input.client_id),
        lease_id: input.lease_id,
      }),
    );
  });

  app.post('/presence/leave', body, (req: Request, res: Response) => {
    const input = parseOrThrow(leaveSchema, req.body);
    res.json(
      ctx.presence.leave({
        gallery_id: assertCanonicalPath(input.gallery_id, 'gallery_id'),
        client_id: clientOf(req, input.client_id),
        lease_id: input.lease_id,
      }),
    );
  });

  app.get('/presence/diagnostics', (_req, res) => {
    const sse = ctx.hub.stats();
    res.json({ ...ctx.presence.diagnostics(), connected_sse_clients: sse.clients, sse });
  });
}
