/**
 * What every answer to a hostile request must look like:
 * - an answer at all (no hang, no reset without a status line), and never a 5xx;
 * - an error is `{"error": code, "message": text}` JSON — except the few non-JSON answers the
 *   contract names (HEAD has no body; a browser without a token gets the 401 HTML page) and the
 *   bare 400/431 Node's HTTP parser sends for requests that are not HTTP at all;
 * - no body carries a stack trace, and no answer carries a secret (the canary outside the root,
 *   the admin token from the lock file, the access token).
 */
import type { RawRequest, RawResponse } from './raw-http.ts';

export type Finding = {
  readonly kind: string;
  readonly detail: string;
  readonly request: RawRequest;
  readonly status: number;
};

const STACK = /\n\s+at .+[(:]\d+:\d+\)?|at (?:async )?\w+ \((?:file|node):/;

export class Oracle {
  readonly findings: Finding[] = [];
  readonly statuses = new Map<number, number>();
  requests = 0;
  parserRejections = 0;
  readonly #secrets: { name: string; bytes: Buffer; inHeaders: boolean }[] = [];
  readonly #seen = new Set<string>();

  /** A value that must never appear in an answer (`inHeaders`: not in its headers either). */
  secret(name: string, value: string, inHeaders = true): void {
    this.#secrets.push({ name, bytes: Buffer.from(value), inHeaders });
  }

  /** Record a finding once per (kind, method, route, status). */
  report(kind: string, detail: string, request: RawRequest, status: number): void {
    const route = Buffer.from(request.target).toString('latin1').split('?')[0];
    const key = `${kind} ${request.method} ${route} ${status}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.findings.push({ kind, detail, request, status });
  }

  judge(request: RawRequest, response: RawResponse): void {
    this.requests += 1;
    const { status, body, headers } = response;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (response.reset) {
      this.report('no answer', 'the connection closed without a status line', request, 0);
      return;
    }
    for (const secret of this.#secrets) {
      const headerText = Buffer.from(JSON.stringify(headers));
      if (body.includes(secret.bytes) || (secret.inHeaders && headerText.includes(secret.bytes))) {
        this.report('LEAK', `the answer contains ${secret.name}`, request, status);
      }
    }
    const text = body.toString('utf8');
    if (STACK.test(text)) this.report('stack trace', text.slice(0, 400), request, status);
    if (status >= 500) {
      this.report('5xx', text.slice(0, 400), request, status);
      return;
    }
    if (status < 400) return;
    // HEAD answers carry the headers of the body they leave out.
    if (request.method === 'HEAD' && body.length === 0) return;
    const type = headers['content-type'] ?? '';
    if (type.startsWith('application/json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        this.report('bad error body', `not JSON: ${text.slice(0, 200)}`, request, status);
        return;
      }
      const error = parsed as { error?: unknown; message?: unknown };
      if (
        typeof error.error !== 'string' ||
        typeof error.message !== 'string' ||
        error.message === ''
      ) {
        this.report(
          'bad error body',
          `not {error, message}: ${text.slice(0, 200)}`,
          request,
          status,
        );
      }
      return;
    }
    if (status === 401 && type.startsWith('text/html')) return;
    if ((status === 400 || status === 431) && type === '' && headers.connection === 'close') {
      // Refused by Node's HTTP parser before any Lenslet code ran (not HTTP at all).
      this.parserRejections += 1;
      return;
    }
    this.report(
      'bad error body',
      `${type || 'no content type'}: ${text.slice(0, 200)}`,
      request,
      status,
    );
  }

  /** A request that never got an answer. */
  hung(request: RawRequest, message: string): void {
    this.requests += 1;
    this.report('hang', message, request, 0);
  }
}

/** A request in a form a person can replay (target and body JSON-escaped). */
export function describeRequest(request: RawRequest): string {
  const target = Buffer.from(request.target).toString('latin1');
  const body =
    request.body === undefined
      ? ''
      : `\n      body (${Buffer.from(request.body).length} bytes): ${JSON.stringify(Buffer.from(request.body).toString('utf8').slice(0, 300))}`;
  const headers = Object.entries(request.headers ?? {})
    .map(
      ([k, v]) =>
        `${k}: ${v === null ? '(omitted)' : Buffer.from(v).toString('latin1').slice(0, 120)}`,
    )
    .join(' | ');
  return `${request.method} ${JSON.stringify(target.slice(0, 300))}${headers ? `\n      headers: ${headers}` : ''}${body}`;
}
