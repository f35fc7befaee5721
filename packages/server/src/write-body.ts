/**
 * A lean JSON body reader for the hot write routes (`PATCH /item`, `PUT /item`,
 * `PUT /item/metrics`): the same rules and error codes as `jsonBody` (body.ts) with a fraction of
 * the per-request work, because these routes carry the durable-writes-per-second budget.
 *
 * Rules: a body must be `application/json` (UTF-8) → else 415 `unsupported_media_type`; at most
 * `limit` bytes → else 413 `payload_too_large`; an object or array → else 400 `invalid_json`.
 * No body leaves `req.body` undefined (the route's schema then names what is missing).
 */
import { LensletError } from '@lenslet/core';
import type { RequestHandler } from 'express';

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

function checkType(contentType: string | undefined): LensletError | null {
  if (contentType === undefined || !JSON_TYPE.test(contentType)) {
    return new LensletError(
      'unsupported_media_type',
      'the request body must be JSON (Content-Type: application/json)',
    );
  }
  const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return new LensletError('unsupported_media_type', 'request body must be UTF-8 JSON');
  }
  return null;
}

function tooLarge(): LensletError {
  return new LensletError('payload_too_large', 'request body is too large for this route');
}

/** Read and parse a JSON body of at most `limit` bytes into `req.body`. */
export function writeBody(limit: number): RequestHandler {
  return (req, _res, next) => {
    const length = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (!chunked && (length === undefined || length === '0')) {
      next();
      return;
    }
    const typeError = checkType(req.headers['content-type']);
    if (typeError) {
      next(typeError);
      return;
    }
    if (length !== undefined && Number(length) > limit) {
      next(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) failed = true;
      else chunks.push(chunk);
    });
    req.on('error', (error) => {
      if (!failed) next(error);
      failed = true;
    });
    req.on('end', () => {
      if (failed) {
        if (size > limit) next(tooLarge());
        return;
      }
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      const first = text.trimStart()[0];
      if (text.trim() === '') {
        next();
        return;
      }
      try {
        if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
        req.body = JSON.parse(text);
      } catch {
        next(new LensletError('invalid_json', 'request body is not valid JSON'));
        return;
      }
      next();
    });
  };
}
