/**
 * JSON request bodies: parsed per route with an explicit size limit (1 MiB unless a route says
 * otherwise), so no route ever buffers an unbounded body. Too large → 413 payload_too_large,
 * not JSON → 400 invalid_json, another media type → 415 unsupported_media_type.
 */
import { LensletError } from '@lenslet/core';
import express, { type RequestHandler } from 'express';

export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** Middleware chain: reject non-JSON bodies, then parse JSON up to `limit` bytes. */
export function jsonBody(limit = MAX_JSON_BODY_BYTES): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
    if (hasBody && !req.is('application/json')) {
      next(
        new LensletError(
          'unsupported_media_type',
          'the request body must be JSON (Content-Type: application/json)',
        ),
      );
      return;
    }
    next();
  };
  return [requireJson, express.json({ limit, strict: true, type: 'application/json' })];
}
