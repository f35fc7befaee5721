/**
 * The original Lenslet's query ownership: its clients send `X-Lenslet-Client-Session` (a tab)
 * and `X-Lenslet-Query-Revision` (a counter the tab raises with every new view) on each query in
 * its dialect. A revision lower than one already answered for the same session is an answer the
 * tab no longer wants: 409 `analysis_superseded` (equal revisions are fine: a page and its
 * facets share one). Sessions are remembered for 5 minutes after their last query, at most 256
 * (the least recently used is forgotten first), as the original did.
 */
import { LensletError } from '@lenslet/core';

export const QUERY_SESSION_TTL_MS = 5 * 60_000;
export const MAX_QUERY_SESSIONS = 256;
const MAX_SESSION_LENGTH = 128;

/** 'tab-1', '7' => {session: 'tab-1', revision: 7}; either absent or malformed => 400. */
export function ownershipOf(
  session: string | undefined,
  revision: string | undefined,
): { session: string; revision: number } {
  if (session === undefined || revision === undefined) {
    throw new LensletError(
      'invalid_request',
      'analysis ownership headers must be sent together: X-Lenslet-Client-Session and X-Lenslet-Query-Revision (a query in the original Lenslet dialect)',
    );
  }
  if (session.length === 0 || session.length > MAX_SESSION_LENGTH || !/^[!-~]+$/.test(session)) {
    throw new LensletError(
      'invalid_request',
      'invalid X-Lenslet-Client-Session: 1–128 printable ASCII characters without spaces',
    );
  }
  if (!/^(0|[1-9]\d{0,15})$/.test(revision)) {
    throw new LensletError(
      'invalid_request',
      'invalid X-Lenslet-Query-Revision: a non-negative integer',
    );
  }
  return { session, revision: Number(revision) };
}

export class QueryRevisions {
  readonly #seen = new Map<string, { revision: number; at: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Note a query of `session` at `revision`; throws `analysis_superseded` below the highest. */
  admit(session: string, revision: number): void {
    const now = this.#now();
    for (const [key, entry] of this.#seen) {
      if (now - entry.at < QUERY_SESSION_TTL_MS) break;
      this.#seen.delete(key);
    }
    const current = this.#seen.get(session);
    if (current !== undefined && revision < current.revision) {
      throw new LensletError(
        'analysis_superseded',
        `analysis_superseded: revision ${revision} of this client session is older than revision ${current.revision}, already answered`,
      );
    }
    this.#seen.delete(session);
    this.#seen.set(session, { revision, at: now });
    if (this.#seen.size > MAX_QUERY_SESSIONS) {
      this.#seen.delete(this.#seen.keys().next().value!);
    }
  }
}
