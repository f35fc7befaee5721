/**
 * Small request/response helpers shared by route modules: query parsing with clear errors and
 * JSON answers that carry the log head (`Lenslet-Seq`).
 */
import { assertCanonicalPath, type CanonicalPath, LensletError } from '@lenslet/core';
import type { Request, Response } from 'express';

/** A parsed query string (`node:querystring`, as express's 'simple' query parser gives it). */
export type Query = Readonly<Record<string, unknown>>;

/** The single string value of a parameter of a parsed query (repeated parameters are an error). */
export function queryValue(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new LensletError('invalid_request', `query parameter "${name}" must be given once`);
  }
  return value;
}

/** The single string value of a query parameter (repeated parameters are an error). */
export function queryString(req: Request, name: string): string | undefined {
  return queryValue(req.query, name);
}

/** A parsed query's `?path=` as a canonical path (required unless a fallback is given). */
export function pathParam(query: Query, name = 'path', fallback?: CanonicalPath): CanonicalPath {
  const raw = queryValue(query, name);
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new LensletError('invalid_path', `query parameter "${name}" is required`);
  }
  return assertCanonicalPath(raw, name);
}

/** `?path=` as a canonical path (required unless a fallback is given). */
export function queryPath(req: Request, name = 'path', fallback?: CanonicalPath): CanonicalPath {
  return pathParam(req.query, name, fallback);
}

/** Non-negative integer query parameter with bounds. */
export function queryInt(
  req: Request,
  name: string,
  {
    min = 0,
    max = Number.MAX_SAFE_INTEGER,
    fallback,
  }: { min?: number; max?: number; fallback: number },
): number {
  const raw = queryString(req, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new LensletError(
      'invalid_request',
      `query parameter "${name}" must be an integer from ${min} to ${max}`,
    );
  }
  return Number(raw);
}

/** `true|false|1|0` query parameter. */
export function queryBool(req: Request, name: string, fallback: boolean): boolean {
  const raw = queryString(req, name);
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new LensletError('invalid_request', `query parameter "${name}" must be true or false`);
}

/** Send JSON that reflects log head `seq`: a `seq` field in the body and a Lenslet-Seq header. */
export function sendWithSeq(res: Response, seq: number, body: object, status = 200): void {
  res.status(status).set('Lenslet-Seq', String(seq)).json(body);
}
