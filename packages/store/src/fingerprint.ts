/**
 * `fp`: a short hash of the canonical request (mode, path, expected version, patch), so a retried
 * idempotency key can be told apart from a key reused for a different request.
 */
import { createHash } from 'node:crypto';
import { canonicalRequest } from '@lenslet/core';
import type { WriteEntry, WriteMode } from './store.ts';

/** 16 hex characters of SHA-256 over the canonical request text. */
export function fingerprint(entry: WriteEntry, mode: WriteMode): string {
  const text = canonicalRequest(entry.path, entry.expected_version, entry.patch, mode);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
