/**
 * `fp`: the request kind plus a short hash of the canonical request (mode, path, expected version,
 * patch), e.g. `patch:3f2a…`, so a retried idempotency key can be told apart from a key reused for
 * a different request — and so the kind can be read back from a log record after a restart.
 */
import { createHash } from 'node:crypto';
import { canonicalRequest } from '@lenslet/core';
import type { WriteEntry, WriteMode } from './store.ts';

/** `<mode>:` + 16 hex characters of SHA-256 over the canonical request text. */
export function fingerprint(entry: WriteEntry, mode: WriteMode): string {
  const text = canonicalRequest(entry.path, entry.expected_version, entry.patch, mode);
  return `${mode}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

const MODES: readonly WriteMode[] = ['patch', 'put', 'bulk', 'metrics'];

/** The request kind a fingerprint was made for (`patch` for a fingerprint without a kind). */
export function modeOf(fp: string): WriteMode {
  const mode = fp.slice(0, fp.indexOf(':'));
  return (MODES as readonly string[]).includes(mode) ? (mode as WriteMode) : 'patch';
}
