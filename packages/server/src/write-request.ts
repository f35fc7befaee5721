/**
 * Who is writing and under which key, from the request headers:
 * - `X-Lenslet-User`: display name, UTF-8 percent-encoded (→ `updated_by`); without it, a browser
 *   with a session cookie writes as `session:<first 8>` (session.ts), anything else `anonymous`;
 * - `Idempotency-Key`: required on PATCH and bulk patches; optional elsewhere (a fresh one is
 *   generated, but a key that is sent is honoured);
 * - `X-Lenslet-Client-Id`: the tab's presence client_id, which then counts as editing.
 */
import { randomUUID } from 'node:crypto';
import { assertIdempotencyKey, LensletError, parseUserHeader } from '@lenslet/core';
import type { WriteMeta, WriteMode } from '@lenslet/store';
import { sessionActor, sessionOf } from './session.ts';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export type WriteRequest = {
  readonly meta: WriteMeta;
  /** The presence client that sent the write, or null. */
  readonly client_id: string | null;
  /** True when the key was generated here (the caller cannot retry with it). */
  readonly generated_key: boolean;
};

const CLIENT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

function single(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) {
    throw new LensletError('invalid_request', `the ${name} header must be sent once`);
  }
  return value;
}

/** Read the write metadata of a request; `keyRequired` for PATCH-like routes. */
export function toWriteRequest(
  headers: Headers,
  mode: WriteMode,
  { keyRequired }: { readonly keyRequired: boolean },
): WriteRequest {
  const user = single(headers, 'x-lenslet-user');
  const session = user === undefined ? sessionOf(headers) : null;
  const actor = session === null ? parseUserHeader(user) : sessionActor(session);
  const rawKey = single(headers, 'idempotency-key');
  const generated = rawKey === undefined && !keyRequired;
  const mutation_id = generated ? `${mode}:${randomUUID()}` : assertIdempotencyKey(rawKey);
  const rawClient = single(headers, 'x-lenslet-client-id');
  if (rawClient !== undefined && !CLIENT_ID_PATTERN.test(rawClient)) {
    throw new LensletError(
      'invalid_request',
      'X-Lenslet-Client-Id must be 1–128 printable ASCII characters (the presence client_id)',
    );
  }
  return {
    meta: { actor, mutation_id, mode },
    client_id: rawClient ?? null,
    generated_key: generated,
  };
}
