/**
 * The one error middleware: a LensletError becomes `{error, message, ...details}` with its table
 * status; body-parser failures get their own codes; anything else is logged and answered 500.
 */
import {
  ERROR_STATUS,
  type ErrorBody,
  type ErrorCode,
  isLensletError,
  LensletError,
} from '@lenslet/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';

type HttpError = Error & { status?: number; statusCode?: number; type?: string };

/** Map body-parser and other library errors onto our codes. */
function fromHttpError(error: HttpError): LensletError | null {
  const status = error.status ?? error.statusCode;
  if (status === undefined) return null;
  if (error.type === 'entity.too.large') {
    return new LensletError('payload_too_large', 'request body is too large for this route');
  }
  if (error.type === 'entity.parse.failed') {
    return new LensletError('invalid_json', 'request body is not valid JSON');
  }
  if (status === 412) {
    return new LensletError(
      'precondition_failed',
      'the file does not match If-Match / If-Unmodified-Since; fetch it again without them',
    );
  }
  if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
    return new LensletError('unsupported_media_type', 'request body must be UTF-8 JSON');
  }
  const byStatus = Object.entries(ERROR_STATUS).find(([, s]) => s === status)?.[0] as
    | ErrorCode
    | undefined;
  return byStatus && status < 500 ? new LensletError(byStatus, error.message) : null;
}

export type ErrorAnswer = { readonly status: number; readonly body: ErrorBody };

/**
 * The status and `{error, message, ...details}` body of any thrown value: a LensletError with its
 * table status, a library error mapped onto our codes, anything else 500 `internal` (logged, its
 * stack never sent). Shared by the express error handler and the `PATCH /item` fast lane.
 */
export function errorAnswer(error: unknown, log: (message: string) => void): ErrorAnswer {
  const lensletError = isLensletError(error) ? error : fromHttpError(error as HttpError);
  if (lensletError) return { status: lensletError.status, body: lensletError.toBody() };
  log(`lenslet: internal error: ${(error as Error)?.stack ?? String(error)}`);
  return { status: 500, body: { error: 'internal', message: 'internal server error' } };
}

export function errorHandler(log: (message: string) => void = console.error): ErrorRequestHandler {
  return function handleError(error, _req, res, next) {
    if (res.headersSent) {
      next(error);
      return;
    }
    const answer = errorAnswer(error, log);
    // A library that failed half-way (send's 412/416 on a static file) may already have set the
    // file's Content-Type: the error body is JSON whatever came before.
    res.type('application/json');
    res.status(answer.status).json(answer.body);
  };
}

/** Final 404 for unknown routes. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not_found', message: `no route ${req.method} ${req.path}` });
};
