/**
 * The plain answer writer (node:http, no express): one `writeHead` + `end(string)`, so an answer
 * is one write syscall. Used where the per-request budget matters — every declared JSON route
 * (json-route.ts: the label writes) and every answer of the fast lane (fast-lane.ts) — and by the
 * security refusals, so the express app and the fast lane send the same bytes.
 *
 * Every answer carries the hardening headers: the express app sets them first thing for every
 * request (security.ts), and the fast lane gets them here, in the `writeHead` itself (cheaper
 * than `setHeader` calls that `writeHead` then has to merge).
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Response headers that keep other sites from framing, sniffing or embedding our answers. */
export const HARDENING_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const satisfies OutgoingHttpHeaders;

const JSON_TYPE = 'application/json; charset=utf-8';

/** Send `body` as JSON with `status` (no body on a HEAD request, like express's `res.json`). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: OutgoingHttpHeaders,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...HARDENING_HEADERS,
    'Content-Type': JSON_TYPE,
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  if (res.req?.method === 'HEAD') res.end();
  else res.end(text);
}
