/**
 * The browser session, as the original Lenslet keeps it: an HttpOnly cookie `lenslet_session`
 * (32 hex characters, 128 random bits) set on the answer to any request that does not carry a
 * valid one. It names a browser, not a person:
 * - a write without `X-Lenslet-User` from a browser that has one is by `session:<first 8>`
 *   (write-request.ts); without the header and without the cookie (a script) it is `anonymous`;
 * - presence counts a browser whose join, move or leave names no `client_id` by its session
 *   (routes/presence.ts), as the original's client does.
 * The cookie protects nothing (it is no credential): access is the security stage's business.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RandomHex } from './random-hex.ts';
import { cookieValue } from './tokens.ts';

export const SESSION_COOKIE = 'lenslet_session';

/** What a session cookie may hold: the original mints 32 hex characters. */
const SESSION_PATTERN = /^[A-Za-z0-9]{16,64}$/;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The session a request's `Cookie` header carries, or null when it has no valid one. */
export function sessionOf(headers: Headers): string | null {
  const cookie = headers.cookie;
  if (typeof cookie !== 'string') return null;
  const value = cookieValue(cookie, SESSION_COOKIE);
  return value !== null && SESSION_PATTERN.test(value) ? value : null;
}

/** The actor of a write by `session` when it names no user: 'a1b2c3d4e5…' => 'session:a1b2c3d4' */
export function sessionActor(session: string): string {
  return `session:${session.slice(0, 8)}`;
}

/** The `Set-Cookie` value for a new session (the original's attributes). */
export function sessionCookie(session: string): string {
  return `${SESSION_COOKIE}=${session}; HttpOnly; Path=/; SameSite=Lax`;
}

const minted = new WeakMap<IncomingMessage, string>();
/** Session ids: 16 random bytes each, from a pool (a script without cookies gets one per request). */
const ids = new RandomHex();

/**
 * Give a request without a session a new one: remembered for the routes of this request
 * (`requestSession`) and set on its answer. Called by the session stage (stages.ts).
 */
export function ensureSession(req: IncomingMessage, res: ServerResponse): void {
  if (sessionOf(req.headers) !== null) return;
  const session = ids.next(16);
  minted.set(req, session);
  const previous = res.getHeader('Set-Cookie');
  const cookies =
    previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
  res.setHeader('Set-Cookie', [...cookies, sessionCookie(session)]);
}

/** The session of a request: its cookie, or the one the session stage gave it. */
export function requestSession(req: IncomingMessage): string | null {
  return sessionOf(req.headers) ?? minted.get(req) ?? null;
}
