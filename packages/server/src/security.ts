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
 *    was sent to, or `--public-url`'s origin: 403 origin_not_allowed otherwise. A write with
 *    neither header (curl, scripts) is accepted only with a Bearer token, or — when no token is
 *    configured — from a loopback socket.
 * 4. `--read-only`: writes answer 403 read_only, except the few POSTs that change nothing on
 *    disk (READ_ONLY_ALLOWED_WRITES: queries and presence, because read-only viewers count).
 */

import { LensletError } from '@lenslet/core';
import type { Request, RequestHandler, Response } from 'express';
import type { RouteContext, ServerConfig } from './context.ts';
import { allowedHostNames, hostName, isLoopbackAddress } from './hosts.ts';
import { PAGE_CSP, unauthorizedPage } from './pages.ts';
import { bearerToken, cookieValue, tokenCookie, tokenCookieName, tokensEqual } from './tokens.ts';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** POST routes that write nothing durable: allowed on a `--read-only` server. */
export const READ_ONLY_ALLOWED_WRITES: ReadonlySet<string> = new Set([
  '/folders/query',
  '/export',
  '/presence/join',
  '/presence/move',
  '/presence/leave',
]);

/** How the current request proved access (kept in `res.locals.auth`). */
export type AuthMethod = 'bearer' | 'cookie' | 'none';

/** True when the request comes straight from this machine (not through a proxy). */
export function isLocalRequest(req: Request): boolean {
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

function refuse(req: Request, res: Response, error: LensletError, html?: string): void {
  if (html !== undefined && wantsHtml(req)) {
    res.status(error.status).set('Content-Security-Policy', PAGE_CSP).type('html').send(html);
    return;
  }
  if (error.code === 'unauthorized') res.set('WWW-Authenticate', 'Bearer realm="lenslet"');
  res.status(error.status).json(error.toBody());
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

function requestOrigin(req: Request): string | null {
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

function checkHost(allowed: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const name = hostName(req.headers.host);
    if (name !== null && allowed.has(name)) {
      next();
      return;
    }
    refuse(
      req,
      res,
      new LensletError(
        'host_not_allowed',
        `this server does not answer to the host name "${req.headers.host ?? ''}"; use the address printed when Lenslet started (or add --public-url)`,
      ),
    );
  };
}

function checkToken(token: string, config: ServerConfig): RequestHandler {
  const cookieName = tokenCookieName(token);
  const publicHost = config.public_url === null ? null : new URL(config.public_url);
  return (req, res, next) => {
    const fromLink =
      req.method === 'GET' || req.method === 'HEAD' ? tokenParam(req.originalUrl) : null;
    if (fromLink !== null) {
      if (!tokensEqual(fromLink, token)) {
        refuse(
          req,
          res,
          new LensletError('unauthorized', 'the token in this link is not valid'),
          unauthorizedPage('invalid'),
        );
        return;
      }
      const secure =
        publicHost !== null &&
        publicHost.protocol === 'https:' &&
        hostName(req.headers.host) === publicHost.hostname.toLowerCase();
      res.set('Set-Cookie', tokenCookie(token, secure));
      res.set('Cache-Control', 'no-store');
      res.redirect(302, withoutToken(req.originalUrl));
      return;
    }
    const bearer = bearerToken(req.headers.authorization);
    if (bearer !== null) {
      if (tokensEqual(bearer, token)) {
        res.locals.auth = 'bearer' satisfies AuthMethod;
        next();
        return;
      }
      refuse(
        req,
        res,
        new LensletError('unauthorized', 'the Bearer token is not valid for this server'),
      );
      return;
    }
    const cookie = cookieValue(req.headers.cookie, cookieName);
    if (cookie !== null && tokensEqual(cookie, token)) {
      res.locals.auth = 'cookie' satisfies AuthMethod;
      next();
      return;
    }
    refuse(
      req,
      res,
      new LensletError(
        'unauthorized',
        'this server needs its access token: open the link printed in the terminal of whoever runs it, or send "Authorization: Bearer <token>"',
      ),
      unauthorizedPage('missing'),
    );
  };
}

function checkWrites(config: ServerConfig): RequestHandler {
  const publicOrigin =
    config.public_url === null ? null : new URL(config.public_url).origin.toLowerCase();
  return (req, res, next) => {
    if (!WRITE_METHODS.has(req.method)) {
      next();
      return;
    }
    const origin = requestOrigin(req);
    if (origin === null) {
      const auth = (res.locals.auth ?? 'none') as AuthMethod;
      const trusted = auth === 'bearer' || (config.token === null && isLocalRequest(req));
      if (!trusted) {
        refuse(
          req,
          res,
          new LensletError(
            'origin_not_allowed',
            'a write without an Origin header needs "Authorization: Bearer <token>" (or must come from this machine when no token is set)',
          ),
        );
        return;
      }
    } else {
      const host = (req.headers.host ?? '').toLowerCase();
      const served = origin === `http://${host}` || origin === `https://${host}`;
      if (!served && origin !== publicOrigin) {
        refuse(
          req,
          res,
          new LensletError(
            'origin_not_allowed',
            `writes are only accepted from this server's own pages (origin ${origin} is not allowed)`,
          ),
        );
        return;
      }
    }
    const path = req.path.length > 1 && req.path.endsWith('/') ? req.path.slice(0, -1) : req.path;
    if (config.read_only && !READ_ONLY_ALLOWED_WRITES.has(path)) {
      refuse(
        req,
        res,
        new LensletError(
          'read_only',
          'this server was started with --read-only: labels and views cannot be changed',
        ),
      );
      return;
    }
    next();
  };
}

/** Response headers that keep other sites from framing, sniffing or embedding our answers. */
const hardening: RequestHandler = (_req, res, next) => {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  next();
};

/** The security middleware chain, in order (see the module comment). */
export function security(ctx: RouteContext): RequestHandler[] {
  const { config } = ctx;
  const chain: RequestHandler[] = [
    hardening,
    checkHost(allowedHostNames(config.allowed_hosts, config.public_url)),
  ];
  if (config.token !== null) chain.push(checkToken(config.token, config));
  chain.push(checkWrites(config));
  return chain;
}
