/**
 * The original Lenslet's recorded request → answer pairs (v0.4, folder and table mode), copied
 * from shared/original-api into test/fixtures/original-api, in the order they were recorded:
 * the recording is one scenario (writes before the star-filter queries, a join before its
 * heartbeat), so replaying it in order reproduces the state each answer saw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '@lenslet/test-kit';

export const ORIGINAL_API = join(ROOT, 'test/fixtures/original-api');

/** The groups in the order record.mjs recorded them (the JSON files are one per group). */
export const GROUPS = [
  'health',
  'folders',
  'items',
  'query',
  'facets',
  'metadata',
  'presence',
  'misc',
  'table-change',
  'events',
] as const;
export type Group = (typeof GROUPS)[number];

export type RecordedRequest = {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
};

export type RecordedResponse = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: unknown;
};

export type RecordedFrame = { readonly event: string; readonly id: string; readonly data: unknown };

export type Pair = {
  readonly group: Group;
  readonly title: string;
  readonly mode: 'table' | 'folder';
  readonly request: RecordedRequest;
  readonly response?: RecordedResponse;
  readonly frames?: readonly RecordedFrame[];
  /** Arrays the recording cut to 3 entries, with their true length (`{"items": 300}`). */
  readonly trimmed?: Readonly<Record<string, number>>;
  readonly note?: string;
};

/** The port each recorded server listened on (its trusted Origin), by mode. */
export const RECORDED_ORIGINS = {
  table: 'http://127.0.0.1:43165',
  folder: 'http://127.0.0.1:32803',
} as const;

/** Every recorded pair, in recording order. */
export function loadPairs(): Pair[] {
  return GROUPS.flatMap((group) => {
    const file = JSON.parse(readFileSync(join(ORIGINAL_API, `${group}.json`), 'utf8')) as {
      pairs: Omit<Pair, 'group'>[];
    };
    return file.pairs.map((pair) => ({ ...pair, group }));
  });
}
