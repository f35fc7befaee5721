/**
 * The fast lane: `PATCH /item?path=…` served by a plain `node:http` handler ahead of express,
 * because it carries the durable-writes-per-second budget and express 5 alone costs more CPU per
 * request than the whole write (docs/benchmarks.md, "Server: labels").
 *
 * Same behaviour as the express route, from the same code: the access rules (security.ts
 * `accessPolicy`, refusals written by `sendRefusal`), the body reader (write-body.ts
 * `readJsonBody`), the route's core (item-patch.ts `patchItem`), the answer writer (answer.ts
 * `sendWrite`, which also adds the hardening headers) and the error mapping (errors.ts
 * `errorAnswer`). Only the URL form express would parse the same way is taken — `/item?` and a
 * query without a fragment or whitespace; every other request (other methods, `/item/`, `/ITEM`,
 * `/item/history`, a URL without a query) goes to express unchanged.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { sendJson, sendWrite } from './answer.ts';
import type { RouteContext } from './context.ts';
import { errorAnswer } from './errors.ts';
import { ITEM_BODY_LIMIT_BYTES, patchItem } from './item-patch.ts';
import { accessPolicy, sendRefusal } from './security.ts';
import { readJsonBody } from './write-body.ts';

const PREFIX = '/item?';
/** Characters that make express (parseurl) fall back to a full URL parse: leave those to it. */
const UNUSUAL_URL = /[\t\n\f\r #\u00a0\ufeff]/;

/** True when the fast lane serves this request (exported for tests). */
export function takesFastLane(method: string | undefined, url: string | undefined): boolean {
  return (
    method === 'PATCH' && url !== undefined && url.startsWith(PREFIX) && !UNUSUAL_URL.test(url)
  );
}

/** A request listener: `PATCH /item?…` here, everything else to `fallback` (the express app). */
export function withFastLane(
  ctx: RouteContext,
  fallback: RequestListener,
  log: (message: string) => void = console.error,
): RequestListener {
  const policy = accessPolicy(ctx.config);

  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    const answer = errorAnswer(error, log);
    sendJson(res, answer.status, answer.body);
  };

  const serve = (req: IncomingMessage, res: ServerResponse, url: string): void => {
    const decision = policy(req, '/item');
    if (decision.kind === 'refuse') {
      sendRefusal(res, decision.error);
      return;
    }
    if (decision.kind !== 'allow') {
      // A `?token=` link (GET only): never a PATCH, but express knows the answer.
      fallback(req, res);
      return;
    }
    readJsonBody(req, ITEM_BODY_LIMIT_BYTES, (error, body) => {
      if (error) {
        fail(req, res, error);
        return;
      }
      void write(req, res, url, body);
    });
  };

  const write = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: string,
    body: unknown,
  ): Promise<void> => {
    try {
      const query = parseQuery(url.slice(PREFIX.length));
      const { result, mutation_id } = await patchItem(ctx, { query, headers: req.headers, body });
      sendWrite(res, result, mutation_id);
    } catch (error) {
      fail(req, res, error);
    }
  };

  return (req, res) => {
    if (!takesFastLane(req.method, req.url)) {
      fallback(req, res);
      return;
    }
    try {
      serve(req, res, req.url!);
    } catch (error) {
      // As express does for a throwing middleware: an answer, never a crashed server.
      fail(req, res, error);
    }
  };
}
