/**
 * The one JSON body reader, for every route that takes a body: plain node:http, so the express
 * routes (`jsonBody`) and the fast lane (fast-lane.ts) read alike. Each route declares its own
 * `limit` (1 MiB unless it says otherwise), so no route ever buffers an unbounded body.
 *
 * Rules:
 * - no body (no Content-Length, or 0, and not chunked; or only whitespace) → `undefined`, and the
 *   route's schema names what is missing;
 * - a body must be `application/json`, UTF-8, not compressed → else 415 `unsupported_media_type`;
 * - at most `limit` bytes, declared or streamed → else 413 `payload_too_large` (a streamed body
 *   is drained first, so the answer reaches the client);
 * - an object or array → else 400 `invalid_json`; a body cut off by the client → 400.
 */
import type { IncomingMessage } from 'node:http';
import { LensletError } from '@lenslet/core';
import type { RequestHandler } from 'express';

/** The usual limit: 1 MiB (routes that need more or less say so). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

function checkHeaders(req: IncomingMessage): LensletError | null {
  const contentType = req.headers['content-type'];
  if (contentType === undefined || !JSON_TYPE.test(contentType)) {
    return new LensletError(
      'unsupported_media_type',
      'the request body must be JSON (Content-Type: application/json)',
    );
  }
  const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
  const encoding = req.headers['content-encoding'];
  if (
    (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') ||
    (encoding !== undefined && encoding.toLowerCase() !== 'identity')
  ) {
    return new LensletError('unsupported_media_type', 'request body must be UTF-8 JSON');
  }
  return null;
}

function tooLarge(): LensletError {
  return new LensletError('payload_too_large', 'request body is too large for this route');
}

/** Called once with the parsed body (undefined when none was sent), or with the error to answer. */
export type BodyCallback = (error: unknown, body?: unknown) => void;

/** Read and parse the JSON body of `req`, at most `limit` bytes (see the module comment). */
export function readJsonBody(req: IncomingMessage, limit: number, done: BodyCallback): void {
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (length === undefined || length === '0')) {
    done(null);
    return;
  }
  const headerError = checkHeaders(req);
  if (headerError) {
    done(headerError);
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
    if (!failed) {
      done(new LensletError('invalid_request', 'the request body was cut off', { cause: error }));
    }
    failed = true;
  });
  req.on('end', () => {
    if (failed) {
      if (size > limit) done(tooLarge());
      return;
    }
    done(...parseJson(chunks));
  });
}

function parseJson(chunks: readonly Buffer[]): [error: unknown, body?: unknown] {
  const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
  const first = text.trimStart()[0];
  if (first === undefined) return [null];
  try {
    if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
    return [null, JSON.parse(text)];
  } catch {
    return [new LensletError('invalid_json', 'request body is not valid JSON')];
  }
}

/** Requests whose body was read already (two handlers of one route each declare `jsonBody`). */
const read = new WeakSet<IncomingMessage>();

/** Express middleware: the JSON body of at most `limit` bytes into `req.body` (read once). */
export function jsonBody(limit: number): RequestHandler {
  return (req, _res, next) => {
    if (read.has(req)) {
      next();
      return;
    }
    read.add(req);
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
