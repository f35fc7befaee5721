/**
 * `POST /export-comparison`: the original Lenslet's compare view exports 2–12 images side by
 * side as one image (an attachment). Body (unknown fields ignored, as the original's client
 * sends more than Lenslet uses): `{paths: [2..12], labels?: [text per image], reverse_order?,
 * output_format?: "png"}`. Lenslet writes PNG only: `output_format: "gif"` is 400 naming it;
 * `embed_metadata` and `high_quality_gif` are accepted and ignored. Unknown paths are 404.
 */
import { assertCanonicalPath, LensletError, parseOrThrow } from '@lenslet/core';
import { composeSideBySide } from '@lenslet/gallery';
import type { Express } from 'express';
import { z } from 'zod';
import { jsonBody } from '../body.ts';
import type { RouteContext } from '../context.ts';
import { allowQuery } from '../query-params.ts';

export const MAX_COMPARED_IMAGES = 12;

const bodySchema = z.object({
  paths: z.array(z.string().max(4096)).min(2).max(MAX_COMPARED_IMAGES),
  labels: z.array(z.string().max(1000).nullable()).max(MAX_COMPARED_IMAGES).nullish(),
  reverse_order: z.boolean().nullish(),
  output_format: z.string().nullish(),
});

/** `comparison_20261206_003624.png` for 2026-12-06 00:36:24 UTC. */
const fileName = (now: Date) =>
  `comparison_${now.toISOString().slice(0, 19).replace(/-|:/g, '').replace('T', '_')}.png`;

export function registerCompareExport(app: Express, ctx: RouteContext): void {
  const { gallery } = ctx.deps;
  app.post('/export-comparison', jsonBody(64 * 1024), async (req, res) => {
    allowQuery(req, []);
    const body = parseOrThrow(bodySchema, req.body ?? {});
    if ((body.output_format ?? 'png') !== 'png') {
      throw new LensletError(
        'invalid_request',
        `output_format "${body.output_format}" is not available: Lenslet exports comparisons as "png" only`,
      );
    }
    const paths = body.paths.map((p) => assertCanonicalPath(p));
    for (const path of paths) {
      if (gallery.get(path) === undefined) throw new LensletError('not_found', `no image ${path}`);
    }
    const labels = body.labels ?? [];
    const order = paths.map((path, i) => ({ path, label: labels[i] ?? null }));
    if (body.reverse_order) order.reverse();
    const files = await Promise.all(order.map((o) => gallery.resolveFile(o.path)));
    const png = await composeSideBySide(
      files,
      order.map((o) => o.label),
    );
    res
      .type('image/png')
      .set('Content-Disposition', `attachment; filename="${fileName(ctx.clock())}"`)
      .set('Content-Length', String(png.length))
      .end(png);
  });
}
