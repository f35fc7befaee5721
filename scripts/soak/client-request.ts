/**
 * One HTTP exchange as a simulated client sees it: an answer with a status and a JSON body, or
 * a lost one (timeout, dropped connection: not acknowledged, maybe applied). What the soak must
 * judge is recorded on the way: lost requests are counted, a non-JSON body is a violation, and
 * every 5xx is kept to be classified at the end (inside an injected fault or not).
 */
import type { Ledger } from './ledger.ts';

const REQUEST_TIMEOUT_MS = 10_000;

export type Answer =
  | { readonly kind: 'http'; readonly status: number; readonly body: Record<string, unknown> }
  | { readonly kind: 'lost'; readonly reason: string };

export type ClientRequest = {
  readonly url: string;
  readonly user: string;
  readonly method: string;
  readonly route: string;
  readonly body: unknown;
  /** The Idempotency-Key (null: none, for reads). */
  readonly key: string | null;
};

export async function sendAsClient(ledger: Ledger, request: ClientRequest): Promise<Answer> {
  const { method, route, body, key } = request;
  const headers: Record<string, string> = { 'x-lenslet-user': request.user };
  if (key !== null) headers['idempotency-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${request.url}${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await res.text();
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'timeout' : 'connection';
    ledger.count(`requests lost (${reason})`);
    return { kind: 'lost', reason };
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    ledger.violation(
      `${method} ${route} answered ${res.status} with a non-JSON body: ${text.slice(0, 200)}`,
    );
    return { kind: 'http', status: res.status, body: {} };
  }
  if (res.status >= 500) {
    ledger.serverErrors.push({
      at: ledger.now(),
      status: res.status,
      code: String(parsed.error),
      what: `${method} ${route}: ${String(parsed.message)}`,
    });
  }
  return { kind: 'http', status: res.status, body: parsed };
}

/** Lost or 503: not acknowledged, maybe applied; the same request (same key) goes again. */
export function isRetryable(answer: Answer): boolean {
  return answer.kind === 'lost' || answer.status === 503;
}
