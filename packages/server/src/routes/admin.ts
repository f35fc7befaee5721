/**
 * Local admin routes: `POST /admin/compact` lets `lenslet compact` ask the server that holds the
 * workspace to compact it (a second process may not touch a locked workspace).
 *
 * Registered before the access-token middleware and independent of it: the caller proves it is
 * the same user on the same machine, not a colleague with the gallery link.
 * - the socket is loopback and no proxy header is present (a reverse proxy on this machine would
 *   otherwise make remote requests look local), and `Host` is a loopback name;
 * - no `Origin` (browsers always send one on a POST; the CLI never does);
 * - `X-Lenslet-Admin-Token` equals the `admin_token` in the workspace lock file, which is mode 0600
 *   and so readable only by the user running the server.
 *
 * Test hook: only when the composition root passed a `FaultInjector` (`LENSLET_TEST_FAULTS=1`),
 * `POST /admin/faults {rules}` makes the store's disk fail on purpose and `DELETE /admin/faults`
 * heals it (the soak test). Without it these routes do not exist (404 like any unknown route).
 */
import { LensletError, parseOrThrow } from '@lenslet/core';
import { nodeFs, readLock } from '@lenslet/store';
import type { Express, Request, RequestHandler } from 'express';
import { z } from 'zod';
import { jsonBody } from '../body.ts';
import type { RouteContext } from '../context.ts';
import { hostName, isLoopbackAddress, isLoopbackName } from '../hosts.ts';
import { tokensEqual } from '../tokens.ts';

/** Header carrying the admin token (never the access token's `Authorization`). */
export const ADMIN_TOKEN_HEADER = 'x-lenslet-admin-token';

async function assertAdmin(req: Request, ctx: RouteContext): Promise<void> {
  const local =
    isLoopbackAddress(req.socket.remoteAddress) &&
    req.headers['x-forwarded-for'] === undefined &&
    req.headers.forwarded === undefined;
  const host = hostName(req.headers.host);
  if (!local || host === null || !isLoopbackName(host) || req.headers.origin !== undefined) {
    throw new LensletError('not_found', 'admin routes answer only to this machine');
  }
  const workspace = ctx.config.workspace;
  if (workspace === null) {
    throw new LensletError(
      'not_found',
      'this server keeps labels in memory: there is nothing to compact',
    );
  }
  const lock = await readLock(nodeFs(), workspace);
  const expected = lock.kind === 'held' ? lock.info.admin_token : null;
  const given = req.headers[ADMIN_TOKEN_HEADER];
  if (!expected) {
    throw new LensletError('unauthorized', 'this server was started without an admin token');
  }
  if (typeof given !== 'string' || !tokensEqual(given, expected)) {
    throw new LensletError(
      'unauthorized',
      `missing or wrong ${ADMIN_TOKEN_HEADER} (it is in the workspace lock file)`,
    );
  }
}

const faultRulesSchema = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        op: z.enum(['write', 'datasync', 'truncate', 'open', 'rename', 'unlink', 'syncDir']),
        code: z.enum(['ENOSPC', 'EIO']),
        path: z.string().max(4096).optional(),
        times: z.number().int().positive().optional(),
        partial: z.number().min(0).max(1).optional(),
      }),
    )
    .min(1)
    .max(32),
});

const FAULT_RULES_BODY_LIMIT_BYTES = 16 * 1024;

export function registerAdmin(app: Express, ctx: RouteContext): void {
  app.post('/admin/compact', async (req, res) => {
    await assertAdmin(req, ctx);
    const report = await ctx.deps.store.compact();
    res.status(200).json(report);
  });
  const faults = ctx.deps.faults;
  if (faults === undefined) return;
  // The caller is checked before its body is read.
  const admin: RequestHandler = (req, _res, next) => {
    assertAdmin(req, ctx).then(() => next(), next);
  };
  app.post('/admin/faults', admin, jsonBody(FAULT_RULES_BODY_LIMIT_BYTES), (req, res) => {
    const { rules } = parseOrThrow(faultRulesSchema, req.body);
    for (const rule of rules) faults.fail(rule);
    res.status(200).json({ active: faults.active, injected: faults.injected });
  });
  app.delete('/admin/faults', admin, (_req, res) => {
    faults.clear();
    res.status(200).json({ active: faults.active, injected: faults.injected });
  });
}
