/**
 * Label routes for one item: `GET /item`, `PATCH /item`, `PUT /item`, `PUT /item/metrics`; and
 * registration of the rest of the label API (batches, history, export).
 *
 * Every write answers only after the store resolved, i.e. once its record is durable (fsync), or
 * kept in memory when the server runs without a writable workspace (`persistence: "memory"`).
 * Which paths take labels: see label-access.ts. `PATCH /item`'s core is item-patch.ts.
 */
import {
  metricsPatchSchema,
  parseIfMatch,
  parseOrThrow,
  patchSchema,
  toSidecar,
} from '@lenslet/core';
import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import { sendWrite } from '../answer.ts';
import type { RouteContext } from '../context.ts';
import { queryPath, sendWithSeq } from '../http.ts';
import { ITEM_BODY_LIMIT_BYTES, patchItem } from '../item-patch.ts';
import { assertLabelable, noteWrite } from '../label-access.ts';
import { writeBody } from '../write-body.ts';
import { toWriteRequest } from '../write-request.ts';
import { registerExport } from './export.ts';
import { registerHistory } from './history.ts';
import { registerLabelBatches } from './label-batches.ts';

const shape = patchSchema.shape;
/** PUT /item: the full star/tags/notes (other sidecar fields a client echoes back are ignored). */
const putSchema = z.object({
  star: shape.set_star.unwrap(),
  tags: shape.set_tags.unwrap(),
  notes: shape.set_notes.unwrap(),
});
const putMetricsSchema = z.strictObject({ metrics: metricsPatchSchema });

export function registerLabels(app: Express, ctx: RouteContext): void {
  const { store } = ctx.deps;
  const body = writeBody(ITEM_BODY_LIMIT_BYTES);

  app.get('/item', (req, res) => {
    const path = queryPath(req);
    assertLabelable(ctx, path);
    const head = store.head();
    const labels = store.get(path);
    res.set('ETag', `"${labels.version}"`);
    sendWithSeq(res, head, toSidecar(path, head, labels));
  });

  // The same route is served ahead of express by the fast lane (fast-lane.ts) for the common
  // URL form; this one answers the rest (`/item/`, `/ITEM`, URLs with a fragment, …).
  app.patch('/item', body, async (req: Request, res: Response) => {
    const { result, mutation_id } = await patchItem(ctx, {
      query: req.query,
      headers: req.headers,
      body: req.body,
    });
    sendWrite(res, result, mutation_id);
  });

  app.put('/item', body, async (req: Request, res: Response) => {
    const path = queryPath(req);
    const write = toWriteRequest(req.headers, 'put', { keyRequired: false });
    const input = parseOrThrow(putSchema, req.body, 'invalid_patch');
    const expected = parseIfMatch(req.get('if-match'));
    assertLabelable(ctx, path);
    const result = await store.apply(
      {
        path,
        patch: { set_star: input.star, set_tags: input.tags, set_notes: input.notes },
        expected_version: expected,
        last_writer_wins: expected === undefined,
      },
      write.meta,
    );
    noteWrite(ctx, write);
    sendWrite(res, result, write.meta.mutation_id);
  });

  app.put('/item/metrics', body, async (req: Request, res: Response) => {
    const path = queryPath(req);
    const write = toWriteRequest(req.headers, 'metrics', { keyRequired: false });
    const input = parseOrThrow(putMetricsSchema, req.body, 'invalid_patch');
    const expected = parseIfMatch(req.get('if-match'));
    assertLabelable(ctx, path);
    const result = await store.apply(
      { path, patch: { set_metrics: input.metrics }, expected_version: expected },
      write.meta,
    );
    noteWrite(ctx, write);
    sendWrite(res, result, write.meta.mutation_id);
  });

  registerLabelBatches(app, ctx);
  registerHistory(app, ctx);
  registerExport(app, ctx);
}
