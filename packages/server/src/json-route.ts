/**
 * A JSON route declared once, as data: method, path, body limit, whether the fast lane serves it,
 * and a plain handler from the parsed request to an answer. `mountJsonRoutes` puts each on
 * express; the fast lane (fast-lane.ts) serves those marked `lane` from the same declaration, so
 * the two differ only in what carries the request there (express's router or the lane's match).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Express, RequestHandler } from 'express';
import { sendJson } from './answer.ts';
import { jsonBody } from './body.ts';
import type { RouteContext } from './context.ts';
import type { Query } from './http.ts';

/** What a declared route's handler sees of the request. */
export type JsonRequest = {
  /** The parsed query (`node:querystring`, as express's 'simple' query parser gives it). */
  readonly query: Query;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, undefined when none was sent. */
  readonly body: unknown;
};

/** A JSON answer: sent with the hardening headers in one `writeHead` (answer.ts `sendJson`). */
export type JsonAnswer = {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: OutgoingHttpHeaders;
};

export type JsonRoute = {
  readonly method: 'PATCH' | 'PUT' | 'POST';
  /** The express path; the fast lane takes exactly `<path>?<query>`. */
  readonly path: string;
  /** The largest body accepted, in bytes (body.ts reads it before `handle` runs). */
  readonly body_limit: number;
  /** Served by the fast lane ahead of express (for the hottest routes only). */
  readonly lane: boolean;
  /** Everything the route does once access is granted and the body is read. */
  readonly handle: (ctx: RouteContext, request: JsonRequest) => Promise<JsonAnswer>;
};

export function sendAnswer(res: ServerResponse, answer: JsonAnswer): void {
  sendJson(res, answer.status, answer.body, answer.headers);
}

const mounted = new WeakMap<RequestHandler, JsonRoute>();

/** The declaration an express handler was mounted from (for the middleware-order test). */
export function mountedFrom(handler: unknown): JsonRoute | undefined {
  return mounted.get(handler as RequestHandler);
}

/** Mount each route on express: the body reader with the route's limit, then its handler. */
export function mountJsonRoutes(
  app: Express,
  ctx: RouteContext,
  routes: readonly JsonRoute[],
): void {
  for (const route of routes) {
    const handler: RequestHandler = async (req, res) => {
      const request = { query: req.query, headers: req.headers, body: req.body };
      sendAnswer(res, await route.handle(ctx, request));
    };
    mounted.set(handler, route);
    const method = route.method.toLowerCase() as 'patch' | 'put' | 'post';
    app[method](route.path, jsonBody(route.body_limit), handler);
  }
}
