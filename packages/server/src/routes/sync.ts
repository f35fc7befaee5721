/**
 * `GET /sync/state`: durability in the original Lenslet's words (sync-state.ts) — its web client
 * asks after a write answered `pending` and when it reconnects. Lenslet answers writes only once
 * they are durable, so the watermark is the durable head and nothing is ever pending.
 */
import type { SyncState } from '@lenslet/core';
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';
import { allowQuery } from '../query-params.ts';

export function registerSync(app: Express, ctx: RouteContext): void {
  app.get('/sync/state', (req, res) => {
    allowQuery(req, []);
    res.set('Cache-Control', 'no-store').json(ctx.sync.state() satisfies SyncState);
  });
}
