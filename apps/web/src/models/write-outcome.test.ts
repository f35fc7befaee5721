import { type CanonicalPath, LensletError, type Sidecar } from '@lenslet/core';
import { expect, test } from 'vitest';
import { type BulkResult, NetworkError } from '../api.ts';
import { classifyBulkResult, classifyFailure, type WriteOutcome } from './write-outcome.ts';

const theirs: Sidecar = {
  v: 1,
  path: '/a.jpg' as CanonicalPath,
  seq: 7,
  star: 5,
  tags: [],
  notes: '',
  metrics: {},
  version: 7,
  updated_at: '2026-01-01T00:00:00.000Z',
  updated_by: 'ana',
};
const http = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  new LensletError(code as 'not_found', `${code} happened`, { details: { status, ...extra } });

/** The entry ends, shown with the server's code and message. */
const failed = (code: string): WriteOutcome => ({
  kind: 'failed',
  code,
  message: `${code} happened`,
});

const failures: [string, unknown, WriteOutcome][] = [
  ['no answer at all', new NetworkError('down'), { kind: 'retry' }],
  ['503 persistence_unavailable', http(503, 'persistence_unavailable'), { kind: 'retry' }],
  ['500', http(500, 'internal'), { kind: 'retry' }],
  ['502 from a proxy', http(502, 'internal'), { kind: 'retry' }],
  ['429', http(429, 'rate_limited'), { kind: 'retry' }],
  ['an unexpected answer (status 0)', http(0, 'internal'), { kind: 'retry' }],
  ['not an HTTP error at all', new TypeError('bug'), { kind: 'retry' }],
  ['401', http(401, 'unauthorized'), { kind: 'unauthorized' }],
  [
    '409 with their labels',
    http(409, 'version_conflict', { current: theirs }),
    { kind: 'conflict', current: theirs, message: 'version_conflict happened' },
  ],
  ['409 without their labels', http(409, 'version_conflict'), failed('version_conflict')],
  ['400', http(400, 'invalid_patch'), failed('invalid_patch')],
  ['403', http(403, 'read_only'), failed('read_only')],
  ['404', http(404, 'not_found'), failed('not_found')],
  ['413', http(413, 'payload_too_large'), failed('payload_too_large')],
  ['422', http(422, 'invalid_patch'), failed('invalid_patch')],
];

test.each(failures)('a request that threw: %s', (_, error, expected) => {
  expect(classifyFailure(error)).toEqual(expected);
});

const A = '/a.jpg' as CanonicalPath;
const results: [string, BulkResult | undefined, WriteOutcome][] = [
  ['applied', { path: A, status: 'applied', sidecar: theirs }, { kind: 'saved', sidecar: theirs }],
  [
    'conflict with their labels',
    { path: A, status: 'conflict', current: theirs },
    { kind: 'conflict', current: theirs, message: 'changed by someone else' },
  ],
  [
    'conflict without labels, with a message',
    { path: A, status: 'conflict', error: { error: 'version_conflict', message: 'star changed' } },
    { kind: 'conflict', current: undefined, message: 'star changed' },
  ],
  [
    'the disk refused (503 for this item)',
    { path: A, status: 'failed', error: { error: 'persistence_unavailable', message: 'disk' } },
    { kind: 'retry' },
  ],
  [
    'failed with a reason',
    { path: A, status: 'failed', error: { error: 'not_found', message: 'gone' } },
    { kind: 'failed', code: 'not_found', message: 'gone' },
  ],
  [
    'failed without a reason',
    { path: A, status: 'failed' },
    { kind: 'failed', code: 'failed', message: 'not saved' },
  ],
  ['missing from the answer', undefined, { kind: 'failed', code: 'failed', message: 'not saved' }],
];

test.each(results)('one item of a bulk answer: %s', (_, result, expected) => {
  expect(classifyBulkResult(result)).toEqual(expected);
});
