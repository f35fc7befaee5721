/**
 * `GET /metadata?path=`: the embedded metadata of one image (PNG text chunks, EXIF, XMP) in the
 * original Lenslet's shape (`{path, format, meta}`), with Lenslet's parsed `generation` (prompt,
 * negative prompt, seed, steps, sampler, CFG, model, size) and `warnings` beside it. Path rules
 * are those of `/file`: the image must be indexed and its file is resolved (realpath-checked)
 * at request time. Only headers are read (see @lenslet/gallery `readImageMetadata`); a malformed
 * file gives a partial answer with warnings, a file that is no image a 422, GIF/AVIF a 415.
 */
import { LensletError } from '@lenslet/core';
import { type ImageMetadata, readImageMetadata, toOriginalMeta } from '@lenslet/gallery';
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';
import { queryPath } from '../http.ts';
import { allowQuery } from '../query-params.ts';

const READABLE = new Set(['image/png', 'image/jpeg', 'image/webp']);

/** The wire answer: the original's fields, then Lenslet's. */
export function metadataAnswer(path: string, m: ImageMetadata) {
  return {
    path,
    format: m.format,
    meta: toOriginalMeta(m),
    generation: m.generation,
    warnings: m.warnings,
  };
}

export function registerMetadata(app: Express, ctx: RouteContext): void {
  const { gallery } = ctx.deps;
  app.get('/metadata', async (req, res) => {
    allowQuery(req, ['path']);
    const path = queryPath(req);
    const entry = gallery.get(path);
    if (entry === undefined) throw new LensletError('not_found', `no image ${path}`);
    if (!READABLE.has(entry.mime)) {
      throw new LensletError(
        'unsupported_media_type',
        `metadata is read from PNG, JPEG and WebP images; ${path} is ${entry.mime}`,
      );
    }
    const file = await gallery.resolveFile(path);
    const meta = await readImageMetadata(file).catch((error: NodeJS.ErrnoException) => {
      const gone = error.code === 'ENOENT' || error.code === 'EISDIR';
      throw new LensletError(
        gone ? 'not_found' : 'internal',
        gone
          ? `image ${path} is no longer on disk`
          : `cannot read ${path} (${error.code ?? 'error'})`,
        { cause: error },
      );
    });
    if (meta === null || !READABLE.has(`image/${meta.format}`)) {
      throw new LensletError(
        'unsupported_image',
        `${path} does not start like a PNG, JPEG or WebP image; no metadata can be read`,
      );
    }
    res.set('Cache-Control', 'no-cache');
    res.json(metadataAnswer(path, meta));
  });
}
