/**
 * What the writer does with an answer that is not a success. Pure, so every rule is one table row
 * in write-outcome.test.ts:
 * - no answer (network), 429 and 5xx (503 persistence_unavailable) → retry with backoff;
 *   so does anything that is not an HTTP error (an unexpected answer);
 * - 401 → retry, and the app shows the token page;
 * - 409 with the current labels → conflict (kept until the user chooses);
 * - any other 4xx → failed, shown until dismissed.
 */
import type { Sidecar } from '@lenslet/core';
import { type BulkResult, NetworkError, statusOf } from '../api.ts';

export type WriteOutcome =
  | { readonly kind: 'saved'; readonly sidecar: Sidecar }
  | { readonly kind: 'retry' }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'conflict'; readonly current: Sidecar | undefined; readonly message: string }
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };

const CONFLICT_MESSAGE = 'changed by someone else';

/** A request (PATCH or the whole bulk POST) that threw. */
export function classifyFailure(error: unknown): WriteOutcome {
  const status = statusOf(error);
  if (error instanceof NetworkError || status === 0 || status === 429 || status >= 500) {
    return { kind: 'retry' };
  }
  if (status === 401) return { kind: 'unauthorized' };
  // Past this point `error` is a LensletError: only those carry an HTTP status.
  const current = (error as { details?: { current?: Sidecar } }).details?.current;
  if (status === 409 && current) {
    return { kind: 'conflict', current, message: (error as Error).message };
  }
  const code = (error as { code?: string }).code ?? String(status);
  return { kind: 'failed', code, message: (error as Error).message };
}

/** One item's result inside a bulk answer (undefined: the server did not mention the item). */
export function classifyBulkResult(result: BulkResult | undefined): WriteOutcome {
  if (result?.sidecar) return { kind: 'saved', sidecar: result.sidecar };
  if (result?.current || result?.status === 'conflict') {
    return {
      kind: 'conflict',
      current: result.current,
      message: result.error?.message ?? CONFLICT_MESSAGE,
    };
  }
  if (result?.error?.error === 'persistence_unavailable') return { kind: 'retry' };
  return {
    kind: 'failed',
    code: result?.error?.error ?? 'failed',
    message: result?.error?.message ?? 'not saved',
  };
}
