/**
 * The fast lane: the declared routes marked `lane` (today `PATCH /item?path=…`) served by a plain
 * `node:http` handler ahead of express, because they carry the durable-writes-per-second budget
 * and express 5 alone costs more CPU per request than the whole write (docs/benchmarks.md,
 * "Server: labels").
 *
 * Nothing here is specific to a route. The lane is derived from the same declarations express
 * mounts: the route list (routes/labels.ts `LABEL_WRITES`, json-route.ts), and the app-wide
 * stages ahead of the routes in their lane form (stages.ts: the access policy). A lane request
 * then gets the route's body reader (body.ts, the declared limit), its handler, the same answer
 * writer (answer.ts, which adds the hardening headers) and the same error mapping (errors.ts
 * `errorAnswer`) — everything express would run for it, in the same order
 * (app-order.test.ts checks that express runs nothing else).
 *
 * Only the URL form express would parse the same way is taken — `<path>?` and a query without
 * a fragment or whitespace; every other request (other methods, `/item/`, `/ITEM`,
 * `/item/history`, a URL without a query) goes to express unchanged.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { sendJson } from './answer.ts';
import { readJsonBody } from './body.ts';
import type { RouteContext } from './context.ts';
import { errorAnswer } from './errors.ts';
import { type JsonRoute, sendAnswer } from './json-route.ts';
import { LABEL_WRITES } from './routes/labels.ts';
import { appStages } from './stages.ts';

/** Characters that make express (parseurl) fall back to a full URL parse: leave those to it. */
const UNUSUAL_URL = /[\t\n\f\r #\u00a0\ufeff]/;

type LaneEntry = { readonly prefix: string; readonly route: JsonRoute };
/** Finds the lane route a request is for, or undefined (then express serves it). */
type LaneMatch = (method: string | undefined, url: string | undefined) => LaneEntry | undefined;

/** The lane's matcher over `routes`: exactly `<path>?…` for the routes marked `lane`. */
export function laneMatcher(routes: readonly JsonRoute[]): LaneMatch {
  const byMethod = new Map<string, LaneEntry[]>();
  for (const route of routes) {
    if (!route.lane) continue;
    const entries = byMethod.get(route.method) ?? [];
    entries.push({ prefix: `${route.path}?`, route });
    byMethod.set(route.method, entries);
  }
  return (method, url) => {
    const entries = method === undefined ? undefined : byMethod.get(method);
    if (entries === undefined || url === undefined) return undefined;
    for (const entry of entries) {
      if (url.startsWith(entry.prefix)) return UNUSUAL_URL.test(url) ? undefined : entry;
    }
    return undefined;
  };
}

const appLane = laneMatcher(LABEL_WRITES);

/** True when the fast lane serves this request (exported for tests). */
export function takesFastLane(method: string | undefined, url: string | undefined): boolean {
  return appLane(method, url) !== undefined;
}

/** A request listener: the lane routes here, everything else to `fallback` (the express app). */
export function withFastLane(
  ctx: RouteContext,
  fallback: RequestListener,
  log: (message: string) => void = console.error,
  routes: readonly JsonRoute[] = LABEL_WRITES,
): RequestListener {
  const match = routes === LABEL_WRITES ? appLane : laneMatcher(routes);
  const stages = appStages(ctx);

  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    const answer = errorAnswer(error, log);
    sendJson(res, answer.status, answer.body);
  };

  const run = async (
    req: IncomingMessage,
    res: ServerResponse,
    entry: LaneEntry,
    body: unknown,
  ): Promise<void> => {
    try {
      const query = parseQuery(req.url!.slice(entry.prefix.length));
      sendAnswer(res, await entry.route.handle(ctx, { query, headers: req.headers, body }));
    } catch (error) {
      fail(req, res, error);
    }
  };

  const serve = (req: IncomingMessage, res: ServerResponse, entry: LaneEntry): void => {
    for (const stage of stages) {
      const step = stage.lane(req, res, entry.route.path);
      if (step === 'answered') return;
      if (step === 'express') {
        fallback(req, res);
        return;
      }
    }
    readJsonBody(req, entry.route.body_limit, (error, body) => {
      if (error) fail(req, res, error);
      else void run(req, res, entry, body);
    });
  };

  return (req, res) => {
    const entry = match(req.method, req.url);
    if (entry === undefined) {
      fallback(req, res);
      return;
    }
    try {
      serve(req, res, entry);
    } catch (error) {
      // As express does for a throwing middleware: an answer, never a crashed server.
      fail(req, res, error);
    }
  };
}
