/**
 * Media routes: `GET /thumb` and `GET /file` (HEAD too). The file is resolved through the gallery
 * at request time (realpath checked against its root, so a symlink swapped in while serving is
 * refused), opened once, and everything after — validators, length, bytes — comes from that one
 * open descriptor, so a file replaced mid-request is never mixed.
 */
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { LensletError } from '@lenslet/core';
import type { Express, Response } from 'express';
import { ifRangeHolds, isNotModified, parseRange } from '../byte-range.ts';
import type { RouteContext } from '../context.ts';
import { queryPath, queryString } from '../http.ts';
import { thumbVersion } from '../item-view.ts';
import { allowQuery } from '../query-params.ts';

const YEAR_S = 31_536_000;

/** `inline; filename*=UTF-8''…` so a saved file keeps its (Unicode) name. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function registerMedia(app: Express, ctx: RouteContext): void {
  const { gallery, thumbnailer } = ctx.deps;
  const privacy = ctx.config.token === null ? 'public' : 'private';

  app.get('/thumb', async (req, res) => {
    allowQuery(req, ['path', 'v']);
    const path = queryPath(req);
    const asked = queryString(req, 'v');
    const entry = gallery.get(path);
    if (entry === undefined) throw new LensletError('not_found', `no image ${path}`);
    const version = thumbVersion(entry, ctx.config);
    const etag = `"t${version}"`;
    // A URL naming the current rendering never changes; any other URL must revalidate.
    res.set(
      'Cache-Control',
      asked === version ? `${privacy}, max-age=${YEAR_S}, immutable` : `${privacy}, no-cache`,
    );
    res.set('ETag', etag);
    if (isNotModified({ 'if-none-match': req.headers['if-none-match'] }, etag, entry.mtime_ms)) {
      res.status(304).end();
      return;
    }
    const file = await gallery.resolveFile(path);
    const webp = await thumbnailer.thumbnail(entry, file);
    if (req.socket.destroyed) return;
    res.type('image/webp').set('Content-Length', String(webp.length));
    if (req.method === 'HEAD') res.end();
    else res.end(webp);
  });

  app.get('/file', async (req, res) => {
    allowQuery(req, ['path']);
    const path = queryPath(req);
    const entry = gallery.get(path);
    if (entry === undefined) throw new LensletError('not_found', `no image ${path}`);
    const file = await gallery.resolveFile(path);
    const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
      throw new LensletError(
        error.code === 'ENOENT' ? 'not_found' : 'internal',
        error.code === 'ENOENT'
          ? `image ${path} is no longer on disk`
          : `cannot read ${path} (${error.code ?? 'error'})`,
        { cause: error },
      );
    });
    let streaming = false;
    try {
      const stat = await handle.stat();
      if (!stat.isFile())
        throw new LensletError('not_found', `image ${path} is not a regular file`);
      const size = stat.size;
      const etag = `"${size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
      res.set({
        ETag: etag,
        'Last-Modified': new Date(stat.mtimeMs).toUTCString(),
        'Accept-Ranges': 'bytes',
        'Cache-Control': `${ctx.config.token === null ? 'public' : 'private'}, no-cache`,
        'Content-Disposition': contentDisposition(entry.name),
      });
      res.type(entry.mime);
      if (
        isNotModified(
          {
            'if-none-match': req.get('if-none-match'),
            'if-modified-since': req.get('if-modified-since'),
          },
          etag,
          stat.mtimeMs,
        )
      ) {
        res.status(304).end();
        return;
      }
      const range = ifRangeHolds(req.get('if-range'), etag, stat.mtimeMs)
        ? parseRange(req.headers.range, size)
        : null;
      if (range === 'unsatisfiable') {
        res.set('Content-Range', `bytes */${size}`);
        throw new LensletError(
          'range_not_satisfiable',
          `the range ${req.headers.range} is outside the ${size}-byte file`,
        );
      }
      const start = range?.start ?? 0;
      const end = range?.end ?? size - 1;
      if (range) res.status(206).set('Content-Range', `bytes ${start}-${end}/${size}`);
      res.set('Content-Length', String(Math.max(0, end - start + 1)));
      if (req.method === 'HEAD' || size === 0) {
        res.end();
        return;
      }
      streaming = true;
      await streamFile(handle, start, end, res);
    } finally {
      if (!streaming) await handle.close();
    }
  });
}

/** Stream [start, end] of an open file; closes the handle when done or when the client leaves. */
async function streamFile(
  handle: Awaited<ReturnType<typeof open>>,
  start: number,
  end: number,
  res: Response,
): Promise<void> {
  const stream = handle.createReadStream({ start, end, autoClose: true });
  try {
    await pipeline(stream, res);
  } catch (error) {
    // A client that goes away mid-download is normal (seeking in a viewer, closing a tab).
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}
