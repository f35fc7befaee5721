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
 */
import { LensletError } from '@lenslet/core';
import { nodeFs, readLock } from '@lenslet/store';
import type { Express, Request } from 'express';
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

export function registerAdmin(app: Express, ctx: RouteContext): void {
  app.post('/admin/compact', async (req, res) => {
    await assertAdmin(req, ctx);
    const report = await ctx.deps.store.compact();
    res.status(200).json(report);
  });
}
