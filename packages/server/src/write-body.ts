/**
 * A lean JSON body reader for the hot write routes (`PATCH /item`, `PUT /item`,
 * `PUT /item/metrics`): the same rules and error codes as `jsonBody` (body.ts) with a fraction of
 * the per-request work, because these routes carry the durable-writes-per-second budget.
 *
 * Rules: a body must be `application/json` (UTF-8) → else 415 `unsupported_media_type`; at most
 * `limit` bytes → else 413 `payload_too_large`; an object or array → else 400 `invalid_json`.
 * No body leaves `req.body` undefined (the route's schema then names what is missing).
 */
import type { IncomingMessage } from 'node:http';
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

/** Called once with the parsed body (undefined when none was sent), or with the error to answer. */
export type BodyCallback = (error: unknown, body?: unknown) => void;

/**
 * Read and parse a JSON body of at most `limit` bytes (plain node:http: shared by the express
 * middleware below and the `PATCH /item` fast lane).
 */
export function readJsonBody(req: IncomingMessage, limit: number, done: BodyCallback): void {
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (length === undefined || length === '0')) {
    done(null);
    return;
  }
  const typeError = checkType(req.headers['content-type']);
  if (typeError) {
    done(typeError);
    return;
  }
  if (length !== undefined && Number(length) > limit) {
    done(tooLarge());
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
    if (!failed) done(error);
    failed = true;
  });
  req.on('end', () => {
    if (failed) {
      if (size > limit) done(tooLarge());
      return;
    }
    const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
    const first = text.trimStart()[0];
    if (text.trim() === '') {
      done(null);
      return;
    }
    let body: unknown;
    try {
      if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
      body = JSON.parse(text);
    } catch {
      done(new LensletError('invalid_json', 'request body is not valid JSON'));
      return;
    }
    done(null, body);
  });
}

/** Express middleware: read and parse a JSON body of at most `limit` bytes into `req.body`. */
export function writeBody(limit: number): RequestHandler {
  return (req, _res, next) => {
    readJsonBody(req, limit, (error, body) => {
      if (error) {
        next(error);
        return;
      }
      if (body !== undefined) req.body = body;
      next();
    });
  };
}
