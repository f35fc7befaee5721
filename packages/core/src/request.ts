/**
 * Request metadata rules shared by every writer: display names, idempotency keys, If-Match, and
 * the canonical request a fingerprint (`fp`) is computed from.
 */
import { LensletError } from './errors.ts';
import type { Patch } from './patch.ts';
import type { CanonicalPath } from './paths.ts';
import { hasControlChar, hasLoneSurrogate } from './text.ts';

export const ANONYMOUS_USER = 'anonymous';
export const MAX_USER_LENGTH = 64;
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{8,128}$/;

/** X-Lenslet-User (UTF-8 percent-encoded) => NFC display name, or `anonymous` when absent. */
export function parseUserHeader(raw: string | undefined): string {
  if (raw === undefined) return ANONYMOUS_USER;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new LensletError('invalid_user', 'X-Lenslet-User must be UTF-8, percent-encoded');
  }
  const name = decoded.normalize('NFC').trim();
  if (name.length < 1 || name.length > MAX_USER_LENGTH) {
    throw new LensletError(
      'invalid_user',
      `X-Lenslet-User must be 1–${MAX_USER_LENGTH} characters`,
    );
  }
  if (hasControlChar(name) || hasLoneSurrogate(name)) {
    throw new LensletError('invalid_user', 'X-Lenslet-User must not contain control characters');
  }
  return name;
}

/** Idempotency keys are 8–128 printable ASCII characters. */
export function assertIdempotencyKey(raw: string | undefined): string {
  if (raw === undefined || raw === '') {
    throw new LensletError(
      'invalid_idempotency_key',
      'an Idempotency-Key header is required on writes (8–128 printable ASCII characters)',
    );
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(raw)) {
    throw new LensletError(
      'invalid_idempotency_key',
      'Idempotency-Key must be 8–128 printable ASCII characters without spaces',
    );
  }
  return raw;
}

/** If-Match `"3"`, `W/"3"` or `3` => 3; absent => undefined. */
export function parseIfMatch(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(raw);
  const version = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new LensletError('invalid_request', 'If-Match must be an item version such as "3"');
  }
  return version;
}

/** Combine If-Match and base_version; they must agree when both are sent. */
export function expectedVersion(ifMatch: number | undefined, baseVersion: number | undefined) {
  if (ifMatch !== undefined && baseVersion !== undefined && ifMatch !== baseVersion) {
    throw new LensletError(
      'invalid_request',
      `If-Match (${ifMatch}) and base_version (${baseVersion}) disagree`,
    );
  }
  return ifMatch ?? baseVersion;
}

/** Key-sorted JSON of a value (objects at any depth), `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const obj = value as Record<string, unknown>;
    return `{${keys
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Patch operations in sorted key order: the canonical text lists them in this order. */
export const PATCH_OPS = [
  'add_tags',
  'remove_tags',
  'set_metrics',
  'set_notes',
  'set_star',
  'set_tags',
] as const;

/**
 * The canonical text of a write request — what the fingerprint hashes. Two requests that mean
 * the same thing (key order, whitespace around tags, base_version vs If-Match) have the same text.
 * Equal to `canonicalJson({mode, path, expected, ops})`, built without sorting (it runs on every
 * write).
 */
export function canonicalRequest(
  path: CanonicalPath,
  expected: number | undefined,
  patch: Patch,
  mode = 'patch',
): string {
  let ops = '';
  for (const op of PATCH_OPS) {
    const value = patch[op];
    if (value === undefined) continue;
    const text = op === 'set_metrics' ? canonicalJson(value) : JSON.stringify(value);
    ops += `${ops === '' ? '' : ','}"${op}":${text}`;
  }
  return `{"expected":${expected ?? null},"mode":${JSON.stringify(mode)},"ops":{${ops}},"path":${JSON.stringify(path)}}`;
}
