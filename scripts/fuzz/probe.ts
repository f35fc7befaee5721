/**
 * A targeted case's request and its exact expectation: `probe` sends it (with the target's token),
 * has the oracle judge the answer by the general rules, and reports a status outside `allowed`.
 */
import type { Oracle } from './oracle.ts';
import { type RawRequest, RequestTimeout, send } from './raw-http.ts';

export type Target = {
  readonly port: number;
  readonly token: string | null;
  readonly outside: string;
};

export async function probe(
  oracle: Oracle,
  target: Target,
  request: RawRequest,
  allowed: readonly number[],
  why: string,
): Promise<number> {
  const withToken: RawRequest =
    target.token && request.headers?.authorization === undefined
      ? { ...request, headers: { ...request.headers, authorization: `Bearer ${target.token}` } }
      : request;
  try {
    const response = await send(target.port, withToken, 30_000);
    oracle.judge(withToken, response);
    if (!allowed.includes(response.status)) {
      oracle.report(
        'unexpected status',
        `${why}: expected ${allowed.join(' or ')}, got ${response.status} ${response.body.toString('utf8').slice(0, 200)}`,
        withToken,
        response.status,
      );
    }
    return response.status;
  } catch (error) {
    if (error instanceof RequestTimeout) oracle.hung(withToken, error.message);
    else throw error;
    return 0;
  }
}

export const json = (value: unknown) => JSON.stringify(value);
export const jsonHeaders = { 'content-type': 'application/json' };
export const LANDSCAPE = '/item?path=/landscape.jpg';
export type Headers = RawRequest['headers'];

/** {@link probe} bound to one target, with shorthands for the requests the cases repeat. */
export function prober(oracle: Oracle, t: Target) {
  const check = (request: RawRequest, allowed: readonly number[], why: string) =>
    probe(oracle, t, request, allowed, why);
  return {
    check,
    get: (target: string | Buffer, allowed: readonly number[], why: string, headers?: Headers) =>
      check(
        headers === undefined ? { method: 'GET', target } : { method: 'GET', target, headers },
        allowed,
        why,
      ),
    /** PATCH /item of the fixture's landscape.jpg. */
    patchLandscape: (
      headers: Headers,
      body: string | Buffer,
      allowed: readonly number[],
      why: string,
    ) => check({ method: 'PATCH', target: LANDSCAPE, headers, body }, allowed, why),
  };
}
