/**
 * The access token: how a request proves it may talk to a server that was started for
 * colleagues on the network. Three carriers, checked in this order: `Authorization: Bearer`,
 * the HttpOnly cookie a `?token=` link sets, and nothing else (never a query string on API calls,
 * which would end up in logs and browser history).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tokens are URL- and cookie-safe; `--token` values are checked against this. */
export const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;

/** A fresh random token (256 bits, base64url). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The cookie name for this token. It includes a hash of the token, so two Lenslet servers on one
 * host (cookies ignore ports) never overwrite each other's cookie.
 */
export function tokenCookieName(token: string): string {
  return `lenslet_token_${digest(token).toString('hex').slice(0, 12)}`;
}

/** `Bearer abc` => 'abc'; anything else => null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** The value of one cookie from a `Cookie` header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1);
    return value;
  }
  return null;
}

/** Thirty days: a colleague's browser keeps working across server restarts with the same token. */
export const TOKEN_COOKIE_MAX_AGE_S = 30 * 24 * 3600;

/** The Set-Cookie value that a valid `?token=` link sets. */
export function tokenCookie(token: string, secure: boolean): string {
  return [
    `${tokenCookieName(token)}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${TOKEN_COOKIE_MAX_AGE_S}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
