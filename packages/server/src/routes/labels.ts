/**
 * The label API: `GET /item`, the declared writes (`LABEL_WRITES`: item-writes.ts and
 * label-batches.ts, run by write-pipeline.ts), `GET /item/history` and the export routes.
 *
 * `LABEL_WRITES` is the one list both express and the fast lane take their routes from:
 * `registerLabels` mounts every one of them on express, and fast-lane.ts serves those marked
 * `lane` ahead of express.
 */
import { toSidecar } from '@lenslet/core';
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';
import { queryPath, sendWithSeq } from '../http.ts';
import { type JsonRoute, mountJsonRoutes } from '../json-route.ts';
import { assertLabelable } from '../label-access.ts';
import { sidecarColumns } from '../query/table-columns.ts';
import { registerExport } from './export.ts';
import { registerHistory } from './history.ts';
import { ITEM_WRITES } from './item-writes.ts';
import { BATCH_WRITES } from './label-batches.ts';

export const LABEL_WRITES: readonly JsonRoute[] = [...ITEM_WRITES, ...BATCH_WRITES];

export function registerLabels(app: Express, ctx: RouteContext): void {
  const { store } = ctx.deps;

  app.get('/item', (req, res) => {
    const path = queryPath(req);
    assertLabelable(ctx, path);
    const head = store.head();
    const labels = store.get(path);
    res.set('ETag', `"${labels.version}"`);
    sendWithSeq(res, head, {
      ...toSidecar(path, head, labels),
      ...sidecarColumns(ctx.catalog, path),
    });
  });

  mountJsonRoutes(app, ctx, LABEL_WRITES);
  registerHistory(app, ctx);
  registerExport(app, ctx);
}
