/** Helpers for this package's tests (not exported): one cluster per file, a database per test. */
import type { CanonicalPath, LensletError } from '@lenslet/core';
import type { WriteMeta } from '@lenslet/store';
import { afterAll, beforeAll } from 'vitest';
import type { PgCluster } from './testing/pg-cluster.ts';
import { startPgCluster } from './testing/pg-cluster.ts';

export const p = (s: string) => s as CanonicalPath;

let counter = 0;
/** Write metadata with a fresh idempotency key. */
export function meta(over: Partial<WriteMeta> = {}): WriteMeta {
  counter += 1;
  return {
    actor: 'ana',
    mutation_id: `pg-key-${String(counter).padStart(8, '0')}`,
    mode: 'patch',
    ...over,
  };
}

/** Options that keep tests quiet and quick to notice a dead database. */
export const quick = { onWarning: () => {}, poll_interval_ms: 200, write_timeout_ms: 3_000 };

/** Start one cluster for the file (stopped after it); `cluster()` returns it. */
export function useCluster(): () => PgCluster {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(async () => {
    await cluster?.destroy();
  });
  return () => {
    if (!cluster) throw new Error('the cluster is not started yet');
    return cluster;
  };
}

let databases = 0;
/** A new empty database on `cluster`; returns its URL. */
export async function freshDatabase(cluster: PgCluster): Promise<string> {
  databases += 1;
  const name = `lenslet_t${process.pid}_${databases}`;
  await cluster.psql(`CREATE DATABASE ${name}`);
  return cluster.url(name);
}

export async function rejection(promise: Promise<unknown>): Promise<LensletError> {
  try {
    await promise;
  } catch (error) {
    return error as LensletError;
  }
  throw new Error('expected a rejection');
}
