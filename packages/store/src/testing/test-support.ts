/** Helpers for store tests (not exported from the package). */
import type { CanonicalPath, LensletError } from '@lenslet/core';
import type { WriteMeta } from '../port/label-store.ts';
import type { ProcessProbe } from '../workspace/process-identity.ts';
import { CrashFs } from './crash-fs.ts';

export const p = (s: string) => s as CanonicalPath;

let counter = 0;
/** Write metadata with a fresh idempotency key. */
export function meta(over: Partial<WriteMeta> = {}): WriteMeta {
  counter += 1;
  return {
    actor: 'ana',
    mutation_id: `test-key-${String(counter).padStart(8, '0')}`,
    mode: 'patch',
    ...over,
  };
}

/** A crash double holding an empty, durable `/ws` directory. */
export async function crashDisk(): Promise<CrashFs> {
  const fs = new CrashFs();
  await fs.mkdir('/ws');
  await fs.syncDir('/');
  return fs;
}

/** A probe that sees every earlier holder as dead (one test process plays many "processes"). */
export const deadHolders: ProcessProbe = {
  self: () => ({ pid: 4242, host: 'test-host', boot_id: 'boot', start_time: 1 }),
  liveness: () => 'dead',
};

export async function rejection(promise: Promise<unknown>): Promise<LensletError> {
  try {
    await promise;
  } catch (error) {
    return error as LensletError;
  }
  throw new Error('expected a rejection');
}
