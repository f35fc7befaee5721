/**
 * Who may talk to this server, checked before any route runs, in this order:
 *
 * 1. `Host` must name this machine (loopback names, its addresses and hostname, `--public-url`'s
 *    host): a DNS-rebinding page sends its own name and gets 403 host_not_allowed.
 * 2. With a token configured, every request carries it: `Authorization: Bearer <token>`, or the
 *    HttpOnly SameSite=Lax cookie set by opening a `?token=` link (which then redirects to the
 *    same URL without the token). A browser page without it gets an HTML explanation, an API
 *    call 401 unauthorized. The token applies to loopback requests too: on a shared machine,
 *    loopback is not private.
 * 3. Writes (POST/PUT/PATCH/DELETE) need `Origin` (or `Referer`) equal to the origin the request
 *    was sent to (on a loopback connection, localhost, 127.0.0.1 and [::1] with the same port are
 *    one origin), or `--public-url`'s origin: 403 origin_not_allowed otherwise. A write with
 *    neither header (curl, scripts) is accepted only with a Bearer token, or — when no token is
 *    configured — from a loopback socket.
 * 4. `--read-only`: writes answer 403 read_only, except the few POSTs that change nothing on
 *    disk (READ_ONLY_ALLOWED_WRITES: queries and presence, because read-only viewers count; a rescan).
 *
 * The rules are one plain function over node's `IncomingMessage` (`accessPolicy`), so the express
 * middleware (`security`) and the `PATCH /item` fast lane (fast-lane.ts) decide alike; JSON
 * refusals are written by the same plain writer (`sendRefusal`) on both.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { LensletError } from '@lenslet/core';
import type { Request, RequestHandler, Response } from 'express';
import { HARDENING_HEADERS, sendJson } from './answer.ts';
import type { RouteContext, ServerConfig } from './context.ts';
import { allowedHostNames, hostName, isLoopbackAddress, isLoopbackAlias } from './hosts.ts';
import { PAGE_CSP, unauthorizedPage } from './pages.ts';
import { bearerToken, cookieValue, tokenCookie, tokenCookieName, tokensEqual } from './tokens.ts';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** POST routes that write nothing durable: allowed on a `--read-only` server. */
export const READ_ONLY_ALLOWED_WRITES: ReadonlySet<string> = new Set([
  '/folders/query',
  '/folders/facets',
  '/folders/fields',
  '/export',
  '/presence/join',
  '/presence/move',
  '/presence/leave',
  '/refresh',
  '/embeddings/search',
]);

/** How the current request proved access. */
export type AuthMethod = 'bearer' | 'cookie' | 'none';

/** What to do with a request, decided by `accessPolicy`. */
export type AccessDecision =
  | { readonly kind: 'allow'; readonly auth: AuthMethod }
  /** Answer `error`; a browser navigation gets `page` (HTML) instead when there is one. */
  | { readonly kind: 'refuse'; readonly error: LensletError; readonly page?: string }
  /** A valid `?token=` link: set the cookie and redirect to the same URL without the token. */
  | { readonly kind: 'token_link'; readonly cookie: string; readonly location: string };

/** Decide one request; `path` is its URL path (for the read-only exceptions). */
export type AccessPolicy = (req: IncomingMessage, path: string) => AccessDecision;

/** True when the request comes straight from this machine (not through a proxy). */
export function isLocalRequest(req: IncomingMessage): boolean {
  return (
    isLoopbackAddress(req.socket.remoteAddress) &&
    req.headers['x-forwarded-for'] === undefined &&
    req.headers.forwarded === undefined
  );
}

/** True for a browser navigation (an HTML page is the useful answer), false for API calls. */
export function wantsHtml(req: Request): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') && req.accepts(['json', 'html']) === 'html'
  );
}

/** Write a JSON refusal (plain node:http). */
export function sendRefusal(res: ServerResponse, error: LensletError): void {
  sendJson(
    res,
    error.status,
    error.toBody(),
    error.code === 'unauthorized' ? { 'WWW-Authenticate': 'Bearer realm="lenslet"' } : undefined,
  );
}

/** The request's URL without its `token` query parameter: '/a?token=x&b=1' => '/a?b=1' */
function withoutToken(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://lenslet.invalid');
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}`;
}

function tokenParam(originalUrl: string): string | null {
  const q = originalUrl.indexOf('?');
  if (q < 0) return null;
  return new URLSearchParams(originalUrl.slice(q + 1)).get('token');
}

function requestOrigin(req: IncomingMessage): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin.toLowerCase();
  const referer = req.headers.referer;
  if (referer === undefined) return null;
  try {
    return new URL(referer).origin.toLowerCase();
  } catch {
    return 'invalid';
  }
}

function refuse(error: LensletError, page?: string): AccessDecision {
  return page === undefined ? { kind: 'refuse', error } : { kind: 'refuse', error, page };
}

type Check = (req: IncomingMessage) => AccessDecision | null;

function checkHost(allowed: ReadonlySet<string>): Check {
  return (req) => {
    const name = hostName(req.headers.host);
    if (name !== null && allowed.has(name)) return null;
    return refuse(
      new LensletError(
        'host_not_allowed',
        `this server does not answer to the host name "${req.headers.host ?? ''}"; use the address printed when Lenslet started (or add --public-url)`,
      ),
    );
  };
}

/** With a token configured: a `?token=` link, a Bearer token or the cookie. */
function checkToken(token: string, config: ServerConfig): (req: IncomingMessage) => AccessDecision {
  const cookieName = tokenCookieName(token);
  const publicHost = config.public_url === null ? null : new URL(config.public_url);
  return (req) => {
    const url = req.url ?? '/';
    const fromLink = req.method === 'GET' || req.method === 'HEAD' ? tokenParam(url) : null;
    if (fromLink !== null) {
      if (!tokensEqual(fromLink, token)) {
        return refuse(
          new LensletError('unauthorized', 'the token in this link is not valid'),
          unauthorizedPage('invalid'),
        );
      }
      const secure =
        publicHost !== null &&
        publicHost.protocol === 'https:' &&
        hostName(req.headers.host) === publicHost.hostname.toLowerCase();
      return {
        kind: 'token_link',
        cookie: tokenCookie(token, secure),
        location: withoutToken(url),
      };
    }
    const bearer = bearerToken(req.headers.authorization);
    if (bearer !== null) {
      if (tokensEqual(bearer, token)) return { kind: 'allow', auth: 'bearer' };
      return refuse(
        new LensletError('unauthorized', 'the Bearer token is not valid for this server'),
      );
    }
    const cookie = cookieValue(req.headers.cookie, cookieName);
    if (cookie !== null && tokensEqual(cookie, token)) return { kind: 'allow', auth: 'cookie' };
    return refuse(
      new LensletError(
        'unauthorized',
        'this server needs its access token: open the link printed in the terminal of whoever runs it, or send "Authorization: Bearer <token>"',
      ),
      unauthorizedPage('missing'),
    );
  };
}

function checkWrite(
  config: ServerConfig,
): (req: IncomingMessage, path: string, auth: AuthMethod) => AccessDecision | null {
  const publicOrigin =
    config.public_url === null ? null : new URL(config.public_url).origin.toLowerCase();
  return (req, path, auth) => {
    if (!WRITE_METHODS.has(req.method ?? '')) return null;
    const origin = requestOrigin(req);
    if (origin === null) {
      const trusted = auth === 'bearer' || (config.token === null && isLocalRequest(req));
      if (!trusted) {
        return refuse(
          new LensletError(
            'origin_not_allowed',
            'a write without an Origin header needs "Authorization: Bearer <token>" (or must come from this machine when no token is set)',
          ),
        );
      }
    } else {
      const host = (req.headers.host ?? '').toLowerCase();
      const served =
        origin === `http://${host}` ||
        origin === `https://${host}` ||
        (isLoopbackAddress(req.socket.localAddress) && isLoopbackAlias(origin, host));
      if (!served && origin !== publicOrigin) {
        return refuse(
          new LensletError(
            'origin_not_allowed',
            `writes are only accepted from this server's own pages (origin ${origin} is not allowed)`,
          ),
        );
      }
    }
    const route = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    if (config.read_only && !READ_ONLY_ALLOWED_WRITES.has(route)) {
      return refuse(
        new LensletError(
          'read_only',
          'this server was started with --read-only: labels and views cannot be changed',
        ),
      );
    }
    return null;
  };
}

/** The access rules in order (see the module comment), as one plain function. */
export function accessPolicy(config: ServerConfig): AccessPolicy {
  const host = checkHost(allowedHostNames(config.allowed_hosts, config.public_url));
  const token = config.token === null ? null : checkToken(config.token, config);
  const write = checkWrite(config);
  return (req, path) => {
    const wrongHost = host(req);
    if (wrongHost !== null) return wrongHost;
    let auth: AuthMethod = 'none';
    if (token !== null) {
      const decision = token(req);
      if (decision.kind !== 'allow') return decision;
      auth = decision.auth;
    }
    return write(req, path, auth) ?? { kind: 'allow', auth };
  };
}

function answerRefusal(req: Request, res: Response, error: LensletError, page?: string): void {
  if (page !== undefined && wantsHtml(req)) {
    res.status(error.status).set('Content-Security-Policy', PAGE_CSP).type('html').send(page);
    return;
  }
  sendRefusal(res, error);
}

/** The security middleware (see the module comment): hardening headers, then `accessPolicy`. */
export function security(ctx: RouteContext): RequestHandler {
  const policy = accessPolicy(ctx.config);
  return (req, res, next) => {
    res.set(HARDENING_HEADERS);
    const decision = policy(req, req.path);
    switch (decision.kind) {
      case 'allow':
        next();
        return;
      case 'refuse':
        answerRefusal(req, res, decision.error, decision.page);
        return;
      case 'token_link':
        res.set('Set-Cookie', decision.cookie);
        res.set('Cache-Control', 'no-store');
        res.redirect(302, decision.location);
        return;
    }
  };
}
